import AttaccaALSA
import AttaccaCore
import CJack

/// Attacca as a JACK client, kept playing through a server that goes away: opens the client and
/// its ports (`out_L`, `out_R`, `midi_in`), runs the engine in JACK's process callback
/// (`JACKProcessor`), counts xruns, and when the server shuts down (`jack_on_shutdown`) closes
/// the client, silences every note, and opens a client again every `retryNanoseconds` until the
/// server is back, then plays on with all notes off and nothing stale from the ring.
///
/// Driven from an ordinary thread by `poll(now:)`, as `AudioSession` is for ALSA.
public struct JACKSession: ~Copyable {
    /// What `poll` reports, each once.
    public enum Event: Equatable, Sendable {
        /// The server went away; the client is closed, every note released.
        case lost
        /// A client is playing again on a server that came back, after `attempts` opens;
        /// `connections` says what was connected (and what could not be).
        case restored(attempts: Int, connections: [String])
    }

    public enum State: Equatable, Sendable {
        case playing
        /// No server: the next attempt is due at `nextAttempt` (CLOCK_MONOTONIC ns).
        case away(nextAttempt: Int64)
        case stopped
    }

    public let settings: JACKSettings
    public let ring: EventRing
    public let monitor: AudioMonitor
    public let retryNanoseconds: Int64
    public private(set) var state: State = .stopped
    /// The server's rate; the engine is built for it, and a server back at another rate is refused.
    public let sampleRate: Int
    public private(set) var bufferSize: Int
    /// The name the server gave the client.
    public private(set) var clientName: String
    /// Why the last reopen failed.
    public private(set) var lastOpenError: JACKError?
    /// Events thrown away while the server was away (queued for the lost client).
    public private(set) var discardedEvents = 0
    public private(set) var reopenAttempts = 0

    private var client: JACKClient?
    private let processor: UnsafeMutablePointer<JACKProcessor>
    private let context: UnsafeMutablePointer<JACKCallbackContext>
    /// Silences the engine while no callback runs; returns the voices still sounding.
    private var silence: (() -> Int)?
    private let silencer = EngineSilencer()

    /// Opens the client and registers its ports (not yet active). Throws, in one line, when no
    /// server runs under that name (never starts one, never hangs).
    public init(settings: JACKSettings, ring: EventRing, monitor: AudioMonitor, latencyMode: LatencyMode = .lowest,
                latencyRecords: LatencyRing? = nil, retryNanoseconds: Int64 = 1_000_000_000) throws(JACKError) {
        let opened = try JACKClient(name: settings.clientName, server: settings.server)
        let processor = UnsafeMutablePointer<JACKProcessor>.allocate(capacity: 1)
        processor.initialize(to: JACKProcessor(ring: ring, monitor: monitor, rate: opened.sampleRate,
                                               latencyMode: latencyMode, latencyRecords: latencyRecords))
        let context = UnsafeMutablePointer<JACKCallbackContext>.allocate(capacity: 1)
        context.initialize(to: JACKCallbackContext(monitor: monitor))
        do {
            try Self.prepare(opened, processor: processor, context: context)
        } catch {
            processor.deinitialize(count: 1); processor.deallocate()
            context.deinitialize(count: 1); context.deallocate()
            throw error
        }
        self.processor = processor
        self.context = context
        self.settings = settings
        self.ring = ring
        self.monitor = monitor
        self.retryNanoseconds = retryNanoseconds
        sampleRate = opened.sampleRate
        bufferSize = opened.bufferSize
        clientName = opened.name
        client = consume opened
    }

    /// Normally `stop()` has run. Otherwise (a start that failed half-way) the callback is
    /// stopped before what it reads is freed; the client itself closes after this.
    deinit {
        client?.deactivate()
        processor.deinitialize(count: 1)
        processor.deallocate()
        context.deinitialize(count: 1)
        context.deallocate()
    }

    public var isPlaying: Bool { state == .playing }

    /// `attacca play --limiter on`.
    public var limits: Bool {
        get { processor.pointee.limits }
        set { processor.pointee.limits = newValue }
    }

    /// Messages the MIDI port brought, and those dropped (more than a cycle holds); read
    /// after `stop()`.
    public var midiReceived: Int { processor.pointee.receivedMidi }
    public var midiDropped: Int { processor.pointee.droppedMidi }

    /// Full names of the client's ports.
    public var portNames: (left: String, right: String, midi: String) {
        (clientName + ":" + JACKSettings.leftPort, clientName + ":" + JACKSettings.rightPort, clientName + ":" + JACKSettings.midiPort)
    }

    /// Starts playing `engine` (which must outlive the session's playing: until `stop()`, or
    /// this throwing, after which the callback no longer runs) and makes the
    /// connections the settings ask for; returns a line for each. A `midiSources` port that
    /// cannot be connected is an error; physical outputs that cannot be are said, not fatal.
    public mutating func start<E: SoundEngine & ~Copyable>(engine: UnsafeMutablePointer<E>) throws(JACKError) -> [String] {
        let processor = self.processor
        if E.self == Synthesizer.self {
            // The compiler-checked, fully specialized cycle for the native engine.
            let synthesizer = UnsafeMutableRawPointer(engine).assumingMemoryBound(to: Synthesizer.self)
            context.pointee.process = { frames in processor.pointee.process(frames: frames, synthesizer: &synthesizer.pointee) }
        } else {
            context.pointee.process = { frames in processor.pointee.process(frames: frames, engine: &engine.pointee) }
        }
        silence = silencer.silence(engine)
        guard let opened = client.take() else { return [] }
        do {
            try opened.activate()
        } catch {
            client = consume opened
            throw error
        }
        state = .playing
        let lines: [String]
        do {
            lines = try connect(opened, strict: true)
        } catch {
            // The engine may not outlive this error: the callback stops first.
            opened.deactivate()
            state = .stopped
            client = consume opened
            throw error
        }
        client = consume opened
        return lines
    }

    /// Looks at the server; call it often (every few milliseconds). `now` is CLOCK_MONOTONIC ns.
    public mutating func poll(now: Int64) -> Event? {
        switch state {
        case .stopped:
            return nil
        case .playing:
            guard context.pointee.shutDown.load(ordering: .acquiring) else { return nil }
            // The server is gone: no callback runs any more; closing joins libjack's threads.
            _ = client.take()
            monitor.storeVoices(silence?() ?? 0)
            discardedEvents += ring.discardAll()
            state = .away(nextAttempt: now + retryNanoseconds)
            return .lost
        case .away(let nextAttempt):
            guard now >= nextAttempt else { return nil }
            reopenAttempts += 1
            state = .away(nextAttempt: now + retryNanoseconds)
            do {
                let opened = try JACKClient(name: settings.clientName, server: settings.server)
                guard opened.sampleRate == sampleRate else {
                    lastOpenError = JACKError(call: "jack_get_sample_rate",
                                              detail: "the JACK server came back at \(opened.sampleRate) Hz, not \(sampleRate) Hz")
                    return nil
                }
                context.pointee.shutDown.store(false, ordering: .releasing)
                try Self.prepare(opened, processor: processor, context: context)
                discardedEvents += ring.discardAll()
                try opened.activate()
                bufferSize = opened.bufferSize
                clientName = opened.name
                let lines = (try? connect(opened, strict: false)) ?? []
                client = consume opened
                state = .playing
                let attempts = reopenAttempts
                reopenAttempts = 0
                lastOpenError = nil
                return .restored(attempts: attempts, connections: lines)
            } catch {
                lastOpenError = error
                return nil
            }
        }
    }

    /// Stops the callback, closes the client, silences the engine (voices left go to the monitor).
    public mutating func stop() {
        if let client = client.take() { client.deactivate() }
        if state != .stopped, let silence { monitor.storeVoices(silence()) }
        state = .stopped
    }

    /// Ports, callbacks and clock offset for a freshly opened client (not active yet).
    private static func prepare(_ client: borrowing JACKClient, processor: UnsafeMutablePointer<JACKProcessor>,
                                context: UnsafeMutablePointer<JACKCallbackContext>) throws(JACKError) {
        let left = try client.registerPort(JACKSettings.leftPort, midi: false, input: false)
        let right = try client.registerPort(JACKSettings.rightPort, midi: false, input: false)
        let midi = try client.registerPort(JACKSettings.midiPort, midi: true, input: true)
        processor.pointee.client = client.handle
        processor.pointee.left = left
        processor.pointee.right = right
        processor.pointee.midi = midi
        processor.pointee.jackClockOffsetNanoseconds = Self.clockOffset()
        let argument = UnsafeMutableRawPointer(context)
        var code = jack_set_process_callback(client.handle, JACKCallbackContext.processCallback, argument)
        if code != 0 { throw JACKError(call: "jack_set_process_callback", code: code) }
        code = jack_set_xrun_callback(client.handle, JACKCallbackContext.xrunCallback, argument)
        if code != 0 { throw JACKError(call: "jack_set_xrun_callback", code: code) }
        jack_on_shutdown(client.handle, JACKCallbackContext.shutdownCallback, argument)
    }

    /// JACK's clock minus CLOCK_MONOTONIC (ns), from the closest of a few paired readings (0 on
    /// Linux's JACK2, whose clock is CLOCK_MONOTONIC; measured rather than assumed).
    static func clockOffset() -> Int64 {
        var best: (width: Int64, offset: Int64) = (.max, 0)
        for _ in 0..<5 {
            let before = MonotonicClock.now()
            let jack = Int64(truncatingIfNeeded: jack_get_time()) &* 1000
            let after = MonotonicClock.now()
            if after - before < best.width { best = (after - before, jack &- (before + after) / 2) }
        }
        // Within a few microseconds of zero it is the same clock; keep it exact then.
        return best.offset.magnitude < 50_000 ? 0 : best.offset
    }

    /// Outputs to the first two physical playback ports (`autoConnect`), `midiSources` to the
    /// MIDI input. `strict`: a MIDI source that cannot be connected throws.
    private func connect(_ client: borrowing JACKClient, strict: Bool) throws(JACKError) -> [String] {
        var lines: [String] = []
        let ports = portNames
        if settings.autoConnect {
            let physical = client.physicalPlaybackPorts
            if physical.isEmpty {
                lines.append("warning: the JACK server has no physical playback ports; connect \(ports.left) and \(ports.right) yourself")
            } else {
                for (port, destination) in [(ports.left, physical[0]), (ports.right, physical[min(1, physical.count - 1)])] {
                    do {
                        try client.connect(port, to: destination)
                        lines.append("connected \(port) to \(destination)")
                    } catch {
                        lines.append("warning: \(error.description)")
                    }
                }
            }
        }
        for source in settings.midiSources {
            do {
                try client.connect(source, to: ports.midi)
                lines.append("connected JACK MIDI \(source) to \(ports.midi)")
            } catch {
                if strict {
                    throw JACKError(call: "jack_connect", code: error.code,
                                    detail: "cannot connect '\(source)' to \(ports.midi)" + (client.hasPort(source) ? "" : ": no such port (see jack_lsp)"))
                }
                lines.append("warning: \(error.description)")
            }
        }
        return lines
    }
}
