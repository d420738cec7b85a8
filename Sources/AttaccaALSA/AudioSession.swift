import Glibc

/// Keeps the instrument playing through a device that goes away: runs the `AudioLoop` on its
/// own thread and, when the loop stops because the device failed with an error it cannot
/// recover from (an unplugged USB card: -ENODEV, -EBADFD, -EIO; xruns and suspends are
/// recovered inside the loop), closes the device and opens it again every `retryNanoseconds`
/// until it returns, then plays on. The loop's own ending has already silenced every channel,
/// and the ring is emptied before the new loop starts, so the returning device starts with all
/// notes off and nothing stale.
///
/// Driven from an ordinary thread by `poll(now:)` (time passed in, so tests need no clock). A
/// device that fails before it has ever played a period is not waited for (`failedAtStart`):
/// that is a configuration the device refuses, not a device that went away.
public struct AudioSession<Device: PCMDevice & ~Copyable>: ~Copyable {
    /// Opens the device again (the same request as the first time).
    public typealias Opener = () throws(ALSAError) -> Device
    /// Runs the loop to its end on the audio thread (the caller binds the engine).
    public typealias Runner = (UnsafeMutablePointer<AudioLoop<Device>>) -> Void

    /// What `poll` reports, each once.
    public enum Event: Equatable, Sendable {
        /// The device failed with `code` after playing; it is closed and will be reopened.
        case lost(code: Int32)
        /// A reopened device has played a period: playing goes on. `attempts` opens it took.
        case restored(configuration: PCMConfiguration, attempts: Int)
        /// The device failed with `code` before it ever played a period; the session stopped.
        case failedAtStart(code: Int32)
    }

    public enum State: Equatable, Sendable {
        /// The audio thread runs a loop on an open device.
        case playing
        /// No device: the next attempt to open one is due at `nextAttempt` (CLOCK_MONOTONIC ns).
        case away(nextAttempt: Int64)
        /// Stopped for good.
        case stopped
    }

    public let ring: EventRing
    public let monitor: AudioMonitor
    public let retryNanoseconds: Int64
    public private(set) var state: State = .stopped
    /// Events thrown away when a loop started on a reopened device (queued for the lost one).
    public private(set) var discardedEvents = 0
    /// Opens tried since the device was lost; 0 while it plays.
    public private(set) var reopenAttempts = 0
    /// Why the last reopen failed, for a caller that wants to show it.
    public private(set) var lastOpenError: ALSAError?
    /// The configuration of the device playing now (or last).
    public private(set) var configuration: PCMConfiguration
    /// Lock memory again (`Realtime.lockMemory`, MCL_CURRENT) once a reopened device's loop
    /// and buffers exist, so they are resident like the first ones. Set it when the first lock
    /// was granted.
    public var locksMemoryOnReopen = false

    private let open: Opener
    private let run: Runner
    private let priority: Int32?
    /// Passed to every loop, the first and each one on a reopened device.
    private let latencyMode: LatencyMode
    private let renderLead: RenderLead
    private let latencyRecords: LatencyRing?
    private var loop: UnsafeMutablePointer<AudioLoop<Device>>?
    private var thread: AudioThread?
    private var threadRuns = false
    /// `monitor.periods` when the current loop started: it has played once the count passes it.
    private var periodsAtStart = 0
    private var hasEverPlayed = false
    /// The current loop runs on a reopened device that has not played a period yet.
    private var awaitingRestore = false
    private var attemptsAtRestore = 0

    /// Takes the first, already open, device; `start()` starts playing on it.
    public init(device: consuming Device, ring: EventRing, monitor: AudioMonitor, priority: Int32?,
                retryNanoseconds: Int64 = 500_000_000, latencyMode: LatencyMode = .lowest,
                renderLead: RenderLead = .off, latencyRecords: LatencyRing? = nil, open: @escaping Opener, run: @escaping Runner) {
        self.ring = ring
        self.latencyMode = latencyMode
        self.renderLead = renderLead
        self.latencyRecords = latencyRecords
        self.monitor = monitor
        self.priority = priority
        self.retryNanoseconds = retryNanoseconds
        self.open = open
        self.run = run
        configuration = device.configuration
        loop = Self.makeLoop(device, ring: ring, monitor: monitor, latencyMode: latencyMode, renderLead: renderLead, latencyRecords: latencyRecords)
    }

    /// Normally `stop()` has run. Otherwise: the loop must end before its device closes (the
    /// thread itself is joined when `thread` goes, after this).
    deinit {
        if let loop {
            if threadRuns {
                monitor.requestStop()
                while !monitor.isFinished { usleep(1000) }
            }
            Self.close(loop)
        }
    }

    public var isPlaying: Bool { state == .playing }

    /// Starts the audio thread on the first device. Returns why real-time scheduling was
    /// refused (`AudioThread.realtimeRefusal`), nil when it was granted.
    public mutating func start() throws(AudioThread.ThreadError) -> String? {
        guard let loop else { return nil }
        let started = try startThread(loop)
        state = .playing
        return started
    }

    /// Looks at the audio thread and the device; call it often (every few milliseconds).
    /// `now` is CLOCK_MONOTONIC in nanoseconds.
    public mutating func poll(now: Int64) -> Event? {
        switch state {
        case .stopped:
            return nil
        case .playing:
            // Finished first: once it is set, the period count is final.
            let finished = monitor.isFinished
            let played = monitor.periods > periodsAtStart
            if played { hasEverPlayed = true }
            if awaitingRestore && played {
                awaitingRestore = false
                let attempts = attemptsAtRestore
                reopenAttempts = 0
                return .restored(configuration: configuration, attempts: attempts)
            }
            guard finished else { return nil }
            joinThread()
            let code = monitor.failureCode
            if let loop { Self.close(loop) }
            loop = nil
            if code == 0 {  // a stop was asked for
                state = .stopped
                return nil
            }
            guard hasEverPlayed else {
                state = .stopped
                return .failedAtStart(code: code)
            }
            state = .away(nextAttempt: now + retryNanoseconds)
            // A reopened device that failed again before playing: the same outage, said once.
            if awaitingRestore { return nil }
            return .lost(code: code)
        case .away(let nextAttempt):
            guard now >= nextAttempt else { return nil }
            reopenAttempts += 1
            state = .away(nextAttempt: now + retryNanoseconds)
            let device: Device
            do {
                device = try open()
            } catch {
                lastOpenError = error
                return nil
            }
            guard device.configuration.rate == configuration.rate else {
                lastOpenError = ALSAError(code: -22, call: "snd_pcm_hw_params_set_rate",
                                          detail: "the device came back at \(device.configuration.rate) Hz, not \(configuration.rate) Hz")
                return nil
            }
            configuration = device.configuration
            discardedEvents += ring.discardAll()
            monitor.clearFailure()
            let next = Self.makeLoop(device, ring: ring, monitor: monitor, latencyMode: latencyMode, renderLead: renderLead, latencyRecords: latencyRecords)
            if locksMemoryOnReopen { _ = Realtime.lockMemory() }
            // Not `try?`: startThread returns nil when real-time scheduling was granted, and
            // `try?` would flatten that into a failure (closing the loop under its thread).
            do {
                _ = try startThread(next)
            } catch {
                Self.close(next)
                return nil
            }
            loop = next
            awaitingRestore = true
            attemptsAtRestore = reopenAttempts
            state = .playing
            return nil
        }
    }

    /// Asks the audio thread to silence everything and drain, waits for it, closes the device.
    public mutating func stop() {
        monitor.requestStop()
        joinThread()
        if let loop { Self.close(loop) }
        loop = nil
        state = .stopped
    }

    private mutating func startThread(_ loop: UnsafeMutablePointer<AudioLoop<Device>>) throws(AudioThread.ThreadError) -> String? {
        periodsAtStart = monitor.periods
        let run = self.run
        let started = try AudioThread(priority: priority) { run(loop) }
        let refusal = started.realtimeRefusal
        thread = consume started
        threadRuns = true
        return refusal
    }

    private mutating func joinThread() {
        if var thread = thread.take() { thread.join() }
        threadRuns = false
    }

    private static func makeLoop(_ device: consuming Device, ring: EventRing, monitor: AudioMonitor,
                                 latencyMode: LatencyMode, renderLead: RenderLead,
                                 latencyRecords: LatencyRing?) -> UnsafeMutablePointer<AudioLoop<Device>> {
        let loop = UnsafeMutablePointer<AudioLoop<Device>>.allocate(capacity: 1)
        loop.initialize(to: AudioLoop(device: device, ring: ring, monitor: monitor,
                                      latencyMode: latencyMode, renderLead: renderLead, latencyRecords: latencyRecords))
        return loop
    }

    /// Ends the loop's buffers and closes its device.
    private static func close(_ loop: UnsafeMutablePointer<AudioLoop<Device>>) {
        loop.deinitialize(count: 1)
        loop.deallocate()
    }
}
