import AttaccaCore

/// The audio thread's work, one period at a time: wait until the device has room for a
/// period, take every event the ring holds, place each at the frame inside this period that
/// matches when it arrived, render, convert to the device's format, write, read the status.
/// Underruns and suspends are recovered from, counted, and playing goes on.
///
/// Generic over the device (the ALSA `PCM` or a test fake) and, per call, the engine, so each
/// pair specializes: no existentials on the audio thread. Every buffer is allocated in `init`.
///
/// Event placement (`LatencyMode`): the events drained at time T arrived during the period that
/// just played, [T − period, T). `lowest` puts each at frame 0 of the period rendered now (an
/// event stamped after T at its due frame): the least latency. `constant` puts an event of time
/// t (its sequencer stamp when known: `RingEvent.timeNanoseconds`) at the frame that is heard at
/// t + periods × period, so the timing between events is kept (no jitter from the period grid)
/// at the cost of one period; nothing waits a further block. When this period will be heard is
/// read off the device's clock (the status after the last write: htstamp + delay / rate), so
/// neither the input thread's nor this thread's wake-up delay moves a note; without such a
/// status (the first period, after an xrun) it is taken as T + (periods − 1) × period, which
/// a late wake-up makes early by as much.
///
/// In `lowest` mode the events are not taken at the wake-up but `renderLead` before the device
/// needs the period (`RenderLead`: the period written at the wake-up is not heard before the
/// one still queued has played, so the notes that arrive meanwhile can still be in it).
///
/// With a `LatencyRing`, every note-on rendered leaves a `LatencyRecord` there, filled from the
/// status read after its period was written.
public struct AudioLoop<Device: PCMDevice & ~Copyable>: ~Copyable {
    public var device: Device
    public let ring: EventRing
    public let monitor: AudioMonitor
    /// Where note-ons are placed inside a period.
    public let latencyMode: LatencyMode
    /// Where note-on latency records go; nil: none are kept.
    public let latencyRecords: LatencyRing?
    /// `latencyMode == .constant`, as a plain Bool the audio thread can test without the
    /// enum's (cross-file) equality.
    let constantDelay: Bool
    /// How long before the device needs a period it is rendered (`lowest` mode; `constant`
    /// renders at the wake-up).
    public let renderLead: RenderLead
    /// `renderLead` as plain values the audio thread reads: 0 off, 1 auto, 2 fixed.
    let leadKind: Int
    let fixedLeadNanoseconds: Int64
    /// `RenderLead.autoHeadroomVoices`, read once (the checker cannot see into other files).
    let headroomVoices = RenderLead.autoHeadroomVoices
    /// `auto`'s measures, each the longest recent value, losing 1/4096 of itself a period:
    /// a cycle from taking the events to the status after the write, the render time per
    /// voice (periods with 4 voices or more), and how late a sleep woke.
    var cyclePeakNanoseconds: Int64 = 0
    var voiceCostPeakNanoseconds: Int64 = 0
    var oversleepPeakNanoseconds: Int64 = 0
    /// `auto`'s safety margin: doubles after each xrun.
    public private(set) var leadSafetyNanoseconds = RenderLead.autoSafetyNanoseconds
    /// The lead of the last period: 0 without one (`off`); a period or more: rendered at the wake-up.
    public private(set) var leadNanoseconds: Int64 = 0
    /// The status read after the last write: the hook for latency measurement.
    public private(set) var lastStatus = PCMStatus()
    /// When the last period's events were taken (CLOCK_MONOTONIC ns).
    public private(set) var lastCycleStart: Int64 = 0
    /// When frame 0 of the next period written will be heard, by the status read after the
    /// last write (htstamp + delay / rate); 0 when unknown (before the first status, after an
    /// xrun or a failed status read).
    public private(set) var nextPeriodHeardAt: Int64 = 0

    public let periodSize: Int
    /// Whether `limiter` runs on each rendered period (`attacca play --limiter on`).
    public var limits = false
    /// Keeps the mix below full scale; its state persists from period to period.
    public var limiter: OutputLimiter
    let channels: Int
    let periodCount: Int
    let format: PCMFormat
    let rate: Int64
    /// One period's duration in nanoseconds.
    public let periodNanoseconds: Int64
    let left: UnsafeMutablePointer<Float>
    let right: UnsafeMutablePointer<Float>
    let output: UnsafeMutableRawPointer
    let outputBytes: Int
    let drained: UnsafeMutableBufferPointer<RingEvent>
    let timed: UnsafeMutableBufferPointer<TimedMidiMessage>

    /// How long a wait may block before the loop looks at the stop flag again.
    public static var waitTimeoutMilliseconds: Int32 { 250 }
    /// Waits in a row that may time out (no period freed, no error) before the loop gives the
    /// device up as stalled (`stallCode`): 8 × 250 ms. A device that stops its clock without
    /// an error (a hung driver, a USB card that stopped answering) would otherwise keep the
    /// loop, and the player, waiting for ever; given up, it is closed and reopened like an
    /// unplugged one (`AudioSession`).
    public static var stallWaits: Int { 8 }
    /// The failure code a stalled device leaves: −ETIMEDOUT.
    public static var stallCode: Int32 { -110 }
    /// Waits in a row that timed out.
    public private(set) var silentWaits = 0

    public init(device: consuming Device, ring: EventRing, monitor: AudioMonitor,
                latencyMode: LatencyMode = .lowest, renderLead: RenderLead = .off, latencyRecords: LatencyRing? = nil) {
        let configuration = device.configuration
        self.renderLead = latencyMode == .constant ? .off : renderLead
        switch self.renderLead {
        case .off: (leadKind, fixedLeadNanoseconds) = (0, 0)
        case .auto: (leadKind, fixedLeadNanoseconds) = (1, 0)
        case .fixed(let nanoseconds): (leadKind, fixedLeadNanoseconds) = (2, nanoseconds)
        }
        self.device = device
        self.ring = ring
        self.monitor = monitor
        self.latencyMode = latencyMode
        constantDelay = latencyMode == .constant
        self.latencyRecords = latencyRecords
        periodSize = configuration.periodSize
        channels = configuration.channels
        periodCount = max(configuration.periodCount, 1)
        format = configuration.sampleFormat
        rate = Int64(configuration.rate)
        limiter = OutputLimiter(sampleRate: Int(configuration.rate))
        periodNanoseconds = configuration.periodNanoseconds
        left = .allocate(capacity: periodSize)
        left.initialize(repeating: 0, count: periodSize)
        right = .allocate(capacity: periodSize)
        right.initialize(repeating: 0, count: periodSize)
        outputBytes = periodSize * configuration.bytesPerFrame
        output = .allocate(byteCount: outputBytes, alignment: 16)
        output.initializeMemory(as: UInt8.self, repeating: 0, count: outputBytes)
        let eventCapacity = ring.capacity + 16 * 128
        drained = .allocate(capacity: eventCapacity)
        drained.initialize(repeating: RingEvent(message: MidiMessage(status: 0), arrivalNanoseconds: 0))
        timed = .allocate(capacity: eventCapacity)
        timed.initialize(repeating: TimedMidiMessage(frame: 0, message: MidiMessage(status: 0)))
    }

    deinit {
        left.deallocate()
        right.deallocate()
        output.deallocate()
        drained.deallocate()
        timed.deallocate()
    }

    // MARK: The loop

    /// Plays until `monitor.requestStop()`, or until the device fails (then
    /// `monitor.failureCode` says why); then silences every channel and drains.
    public mutating func run<E: SoundEngine & ~Copyable>(engine: inout E) {
        if prefill() {
            while cycle(engine: &engine) {}
        }
        finish(engine: &engine)
    }

    /// Writes silence into every period of the buffer, which starts the device.
    /// Returns false (and records the failure) if the device refuses it.
    public mutating func prefill() -> Bool {
        zeroOutput()
        for _ in 0..<periodCount {
            let written = device.write(output, frameCount: periodSize)
            if written < 0 && !recover(from: Int32(truncatingIfNeeded: written)) { return false }
        }
        return true
    }

    /// One period. Returns false when the loop should end (stop requested or device failed).
    public mutating func cycle<E: SoundEngine & ~Copyable>(engine: inout E) -> Bool {
        if monitor.isStopRequested { return false }
        let available = device.waitAvailable(timeoutMilliseconds: Self.waitTimeoutMilliseconds)
        if available < 0 { return recover(from: Int32(truncatingIfNeeded: available)) }
        if available == 0 {  // timed out: look at the stop flag again, unless the device stalled
            silentWaits += 1
            if silentWaits < Self.stallWaits { return true }
            monitor.store(.failureCode, Int(Self.stallCode))
            return false
        }
        silentWaits = 0
        if available < periodSize { return true }  // woken early: wait again
        if leadKind != 0 { waitForLead() }

        let start = device.now()
        lastCycleStart = start
        let count = ring.drain(into: drained, overflowStamp: start)
        placeEvents(count: count, cycleStart: start)
        engine.render(left: left, right: right, frameCount: periodSize,
                      events: UnsafeBufferPointer(rebasing: timed[0..<count]))
        if limits { limiter.process(left: left, right: right, frameCount: periodSize) }
        let renderTime = device.now() - start
        convert()
        let written = device.write(output, frameCount: periodSize)
        if written < 0 {
            // The period is lost with its notes' timing: no records for it.
            if !recover(from: Int32(truncatingIfNeeded: written)) { return false }
        } else if device.readStatus(into: &lastStatus) == 0 {
            nextPeriodHeardAt = trackDeadline(projection: lastStatus.timestampNanoseconds > 0
                ? lastStatus.timestampNanoseconds + Int64(lastStatus.delay) * 1_000_000_000 / rate : 0)
            if let records = latencyRecords { recordLatency(count: count, drainedAt: start, into: records) }
        } else {
            nextPeriodHeardAt = 0
        }
        let voices = Self.voiceCount(&engine)
        if leadKind == 1 { measureForLead(cycle: device.now() - start, render: renderTime, voices: voices) }
        monitor.recordPeriod(renderNanoseconds: Int(renderTime), voices: voices, events: count,
                             leadNanoseconds: Int(leadNanoseconds))
        return true
    }

    /// When the device will need the next frame, from this status's projection (htstamp +
    /// delay / rate) and the estimate so far moved one period on: the earlier of the two, or,
    /// when the projection is later, the estimate moved 1/64 of the way towards it. A status whose
    /// stamp came late (the device's interrupt, or a loopback's timer work, held back while this
    /// thread or the kernel was busy) projects the deadline late by as much, and a render lead
    /// taken from it would sleep past the real one: an underrun. Stamps are never early, so the
    /// earliest recent projection is the device's own clock; one slower than the system's is
    /// followed within about 64 periods. 0 (unknown) starts again from the projection.
    @inline(__always)
    func trackDeadline(projection: Int64) -> Int64 {
        guard projection > 0, nextPeriodHeardAt > 0 else { return projection }
        let advanced = nextPeriodHeardAt + periodNanoseconds
        if projection <= advanced { return projection }
        return advanced + (projection - advanced) >> 6
    }

    /// The lead this period renders with: at most a period (which is rendering at the wake-up).
    @inline(__always)
    func currentLead() -> Int64 {
        switch leadKind {
        case 1:
            let room = headroomVoices * voiceCostPeakNanoseconds
            return min(2 * cyclePeakNanoseconds + room + oversleepPeakNanoseconds + leadSafetyNanoseconds, periodNanoseconds)
        case 2: return min(fixedLeadNanoseconds, periodNanoseconds)
        default: return periodNanoseconds
        }
    }

    /// Sleeps until the lead before the next frame is needed (`nextPeriodHeardAt`, by the
    /// device's clock). Not when that is unknown, already past, or more than a period away
    /// (a status that cannot be right).
    @inline(__always)
    mutating func waitForLead() {
        let lead = currentLead()
        leadNanoseconds = lead
        guard lead < periodNanoseconds, nextPeriodHeardAt > 0 else { return }
        let target = nextPeriodHeardAt - lead
        let now = device.now()
        guard target > now, target - now <= periodNanoseconds else { return }
        device.sleep(untilNanoseconds: target)
        let late = device.now() - target
        if late > oversleepPeakNanoseconds { oversleepPeakNanoseconds = late }
    }

    /// `auto`'s measures after a period (see `cyclePeakNanoseconds`).
    @inline(__always)
    mutating func measureForLead(cycle: Int64, render: Int64, voices: Int) {
        cyclePeakNanoseconds = max(cycle, cyclePeakNanoseconds - cyclePeakNanoseconds >> 12)
        let perVoice = voices >= 4 ? render / Int64(voices) : 0
        voiceCostPeakNanoseconds = max(perVoice, voiceCostPeakNanoseconds - voiceCostPeakNanoseconds >> 12)
        oversleepPeakNanoseconds -= oversleepPeakNanoseconds >> 12
    }

    /// All sound off, controllers reset and sustain up on every channel, one more period so
    /// the engine applies it, then drain; marks the monitor finished.
    public mutating func finish<E: SoundEngine & ~Copyable>(engine: inout E) {
        for channel in 0..<16 {
            engine.send(.controlChange(channel: channel, controller: 64, value: 0))
            engine.send(.controlChange(channel: channel, controller: 123, value: 0))
            engine.send(.controlChange(channel: channel, controller: 120, value: 0))
        }
        if monitor.failureCode == 0 {
            engine.render(left: left, right: right, frameCount: periodSize)
            convert()
            _ = device.write(output, frameCount: periodSize)
            device.drain()
        }
        let voices = Self.voiceCount(&engine)
        monitor.store(.voices, voices)
        monitor.store(.finished, 1)
    }

    /// One record per note-on among the `count` events just rendered, against `lastStatus`.
    @inline(__always)
    func recordLatency(count: Int, drainedAt start: Int64, into records: LatencyRing) {
        let status = lastStatus
        let written = device.now()
        for index in 0..<count where drained[index].isNoteOn {
            let event = drained[index]
            records.push(LatencyRecord(
                channel: UInt8(truncatingIfNeeded: event.message.channel), key: event.message.data1,
                velocity: event.message.data2, frame: timed[index].frame,
                periodFrames: Int32(truncatingIfNeeded: periodSize), rate: Int32(truncatingIfNeeded: rate),
                arrivalNanoseconds: event.arrivalNanoseconds, sourceNanoseconds: event.sourceNanoseconds,
                renderNanoseconds: start, statusNanoseconds: status.timestampNanoseconds,
                delayFrames: Int64(status.delay), writtenNanoseconds: written))
        }
    }

    /// Frame offsets for the `count` drained events, never decreasing (see the type's comment).
    @inline(__always)
    mutating func placeEvents(count: Int, cycleStart: Int64) {
        var windowStart = cycleStart
        if constantDelay {
            windowStart = cycleStart - periodNanoseconds
            // Frame 0 heard at `nextPeriodHeardAt`, each event `periodCount` periods after its
            // time; a status that disagrees with the wake-up by more than a period is not trusted.
            let anchored = nextPeriodHeardAt - Int64(periodCount) * periodNanoseconds
            if nextPeriodHeardAt > 0 && abs(anchored - windowStart) <= periodNanoseconds { windowStart = anchored }
        }
        let lastFrame = Int64(periodSize - 1)
        var previous: Int64 = 0
        for index in 0..<count {
            let event = drained[index]
            let frame = event.frame(windowStart: windowStart, rate: rate, constantDelay: constantDelay, previous: previous,
                                    lastFrame: lastFrame)
            previous = frame
            timed[index] = TimedMidiMessage(frame: Int32(truncatingIfNeeded: frame), message: event.message)
        }
    }

    /// After an underrun or suspend: recover, count it, refill with silence.
    /// Returns false (recording the code) when the device cannot go on.
    mutating func recover(from error: Int32) -> Bool {
        let code = device.recover(from: error)
        if code < 0 {
            monitor.store(.failureCode, Int(code))
            return false
        }
        monitor.add(.xruns, 1)
        nextPeriodHeardAt = 0
        if leadKind == 1 { leadSafetyNanoseconds = min(2 * leadSafetyNanoseconds, periodNanoseconds) }
        zeroOutput()
        for _ in 0..<periodCount {
            let written = device.write(output, frameCount: periodSize)
            if written < 0 {
                monitor.store(.failureCode, written)
                return false
            }
        }
        return true
    }

    /// `activeVoiceCount` is a plain read, but engines from other modules do not mark it
    /// `@_noLocks`, so the checker cannot see into it.
    @inline(__always)
    static func voiceCount<E: SoundEngine & ~Copyable>(_ engine: inout E) -> Int {
        withUnsafeMutablePointer(to: &engine) { pointer in
            let engine = UnsafePointer(pointer)
            return _unsafePerformance { engine.pointee.activeVoiceCount }
        }
    }

    @inline(__always)
    func zeroOutput() {
        output.initializeMemory(as: UInt8.self, repeating: 0, count: outputBytes)
    }

    /// Float stereo to the device's interleaved format; extra channels stay silent, a mono
    /// device gets the mix.
    mutating func convert() {
        let stride = channels
        let mono = channels == 1
        switch format {
        case .float:
            let out = output.assumingMemoryBound(to: Float.self)
            for frame in 0..<periodSize {
                let (l, r) = sample(frame, mono: mono)
                out[frame * stride] = l
                if !mono { out[frame * stride + 1] = r }
            }
        case .s16:
            let out = output.assumingMemoryBound(to: Int16.self)
            for frame in 0..<periodSize {
                let (l, r) = sample(frame, mono: mono)
                out[frame * stride] = Int16(truncatingIfNeeded: Self.integer(l, scale: 32767))
                if !mono { out[frame * stride + 1] = Int16(truncatingIfNeeded: Self.integer(r, scale: 32767)) }
            }
        case .s24:
            let out = output.assumingMemoryBound(to: Int32.self)
            for frame in 0..<periodSize {
                let (l, r) = sample(frame, mono: mono)
                out[frame * stride] = Int32(truncatingIfNeeded: Self.integer(l, scale: 8_388_607))
                if !mono { out[frame * stride + 1] = Int32(truncatingIfNeeded: Self.integer(r, scale: 8_388_607)) }
            }
        case .s32:
            let out = output.assumingMemoryBound(to: Int32.self)
            for frame in 0..<periodSize {
                let (l, r) = sample(frame, mono: mono)
                out[frame * stride] = Int32(truncatingIfNeeded: Self.integer(l, scale: 2_147_483_647))
                if !mono { out[frame * stride + 1] = Int32(truncatingIfNeeded: Self.integer(r, scale: 2_147_483_647)) }
            }
        case .s24Packed:
            let out = output.assumingMemoryBound(to: UInt8.self)
            for frame in 0..<periodSize {
                let (l, r) = sample(frame, mono: mono)
                Self.store24(Self.integer(l, scale: 8_388_607), at: out + frame * stride * 3)
                if !mono { Self.store24(Self.integer(r, scale: 8_388_607), at: out + (frame * stride + 1) * 3) }
            }
        }
    }

    @inline(__always)
    func sample(_ frame: Int, mono: Bool) -> (Float, Float) {
        mono ? ((left[frame] + right[frame]) * 0.5, 0) : (left[frame], right[frame])
    }

    /// Clamps to [-1, 1] (NaN to 0) and scales.
    @inline(__always)
    static func integer(_ value: Float, scale: Int64) -> Int64 {
        let clamped: Double = value.isNaN ? 0 : Double(value < -1 ? -1 : (value > 1 ? 1 : value))
        return Int64(clamped * Double(scale))
    }

    @inline(__always)
    static func store24(_ value: Int64, at pointer: UnsafeMutablePointer<UInt8>) {
        pointer[0] = UInt8(truncatingIfNeeded: value)
        pointer[1] = UInt8(truncatingIfNeeded: value >> 8)
        pointer[2] = UInt8(truncatingIfNeeded: value >> 16)
    }
}

/// Declared here, not in PCM.swift: `@_noLocks` can only follow the loop's calls into `PCM`
/// when the conformance's witnesses are emitted in the same file (non-WMO debug builds).
extension PCM: PCMDevice {}

extension AudioLoop where Device == PCM {
    /// The loop over ALSA with the native synthesizer, with the real-time rules checked by the
    /// compiler (`@_noLocks` reaches through every call it makes).
    @_noLocks
    public mutating func run(synthesizer: inout Synthesizer) {
        if prefill() {
            while cycle(engine: &synthesizer) {}
        }
        finish(engine: &synthesizer)
    }
}
