import AttaccaCore

/// The work of one cycle of a sound server's process callback (JACK's, PipeWire's), shared by
/// both drivers: the ring's events (the ALSA sequencer input and a MIDI file) placed as
/// `AudioLoop` places them, the graph's own MIDI port's packets each at its frame (sample-accurate,
/// where FluidSynth's JACK driver plays every event at frame 0), both merged in frame order, the
/// engine rendered into the server's buffers, and a `LatencyRecord` per note-on.
///
/// A driver calls `begin`, then `addPortPacket` for each packet of its MIDI port, then `finish`.
/// Every buffer is allocated in `init`; nothing here allocates, locks or calls the system.
///
/// Latency records: frame 0 of this cycle's output is heard `heardAfterFrames` frames after
/// `cycleStart`. The record's `statusNanoseconds` is that cycle start and `delayFrames`
/// heardAfterFrames + period, so the reader's t_sound = status + (delay − period + frame) / rate
/// holds unchanged.
public struct CallbackCycle: ~Copyable {
    public let ring: EventRing
    public let monitor: AudioMonitor
    public let latencyRecords: LatencyRing?
    /// `latencyMode == .constant`, for the ring's events (port packets are always exact).
    public let constantDelay: Bool
    /// Whether the limiter runs on each cycle (`attacca play --limiter on`).
    public var limits = false
    public var limiter: OutputLimiter
    public let rate: Int64
    /// Most messages one cycle takes from the MIDI port (more are dropped and counted).
    @inlinable public static var portCapacity: Int { 2048 }

    @usableFromInline let drained: UnsafeMutableBufferPointer<RingEvent>
    @usableFromInline let drainedFrames: UnsafeMutableBufferPointer<Int32>
    @usableFromInline let portEvents: UnsafeMutableBufferPointer<RingEvent>
    @usableFromInline let portFrames: UnsafeMutableBufferPointer<Int32>
    /// The decoder's output, before the messages are stamped.
    @usableFromInline let decoded: UnsafeMutablePointer<MidiMessage>
    /// The merged, frame-ordered events the engine renders, and for each its origin (for records).
    @usableFromInline let timed: UnsafeMutableBufferPointer<TimedMidiMessage>
    @usableFromInline let origins: UnsafeMutableBufferPointer<RingEvent>
    @usableFromInline var ringCount = 0
    @usableFromInline var portCount = 0
    @usableFromInline var frameCount = 0
    @usableFromInline var previousPortFrame: Int32 = 0
    /// Messages read from the MIDI port, and those past `portCapacity` (dropped). Plain counts
    /// of the callback's: read them once it has stopped.
    public var receivedMidi = 0
    public var droppedMidi = 0

    public init(ring: EventRing, monitor: AudioMonitor, rate: Int, latencyMode: LatencyMode = .lowest,
                latencyRecords: LatencyRing? = nil) {
        self.ring = ring
        self.monitor = monitor
        self.latencyRecords = latencyRecords
        constantDelay = latencyMode == .constant
        self.rate = Int64(rate)
        limiter = OutputLimiter(sampleRate: rate)
        let ringRoom = ring.capacity + 16 * 128
        let empty = RingEvent(message: MidiMessage(status: 0), arrivalNanoseconds: 0)
        drained = .allocate(capacity: ringRoom)
        drained.initialize(repeating: empty)
        drainedFrames = .allocate(capacity: ringRoom)
        drainedFrames.initialize(repeating: 0)
        portEvents = .allocate(capacity: Self.portCapacity)
        portEvents.initialize(repeating: empty)
        portFrames = .allocate(capacity: Self.portCapacity)
        portFrames.initialize(repeating: 0)
        decoded = .allocate(capacity: Self.portCapacity)
        decoded.initialize(repeating: MidiMessage(status: 0), count: Self.portCapacity)
        let all = ringRoom + Self.portCapacity
        timed = .allocate(capacity: all)
        timed.initialize(repeating: TimedMidiMessage(frame: 0, message: MidiMessage(status: 0)))
        origins = .allocate(capacity: all)
        origins.initialize(repeating: empty)
    }

    deinit {
        drained.deallocate()
        drainedFrames.deallocate()
        portEvents.deallocate()
        portFrames.deallocate()
        decoded.deallocate()
        timed.deallocate()
        origins.deallocate()
    }

    /// Starts a cycle of `frames` frames: drains the ring and places its events, never
    /// decreasing. `lowest` puts what arrived before `windowStart` at frame 0 (the driver passes
    /// when it drained), `constant` each event one period after its time (the driver passes the
    /// cycle's start minus a period).
    @inlinable @inline(__always) @_noLocks
    public mutating func begin(frames: Int, windowStart: Int64, drainedAt: Int64) {
        frameCount = frames
        portCount = 0
        previousPortFrame = 0
        ringCount = ring.drain(into: drained, overflowStamp: drainedAt)
        let lastFrame = Int64(frames - 1)
        var previous: Int64 = 0
        for index in 0..<ringCount {
            let frame = drained[index].frame(windowStart: windowStart, rate: rate, constantDelay: constantDelay,
                                             previous: previous, lastFrame: lastFrame)
            previous = frame
            drainedFrames[index] = Int32(truncatingIfNeeded: frame)
        }
    }

    /// One packet of the MIDI port, at `frame` of this cycle (kept within it and never before
    /// the previous packet's), which arrived at `stamp` (CLOCK_MONOTONIC ns).
    @inlinable @inline(__always) @_noLocks
    public mutating func addPortPacket(_ bytes: UnsafePointer<UInt8>, size: Int, frame: Int64, stamp: Int64) {
        let placed = Int32(truncatingIfNeeded: max(min(frame, Int64(frameCount - 1)), Int64(previousPortFrame)))
        previousPortFrame = placed
        let (written, dropped) = MidiPacketDecoder.decode(bytes, size: size, into: decoded + portCount,
                                                          room: Self.portCapacity - portCount)
        droppedMidi += dropped
        receivedMidi += written + dropped
        for slot in portCount..<(portCount + written) {
            portEvents[slot] = RingEvent(message: decoded[slot], arrivalNanoseconds: stamp, sourceNanoseconds: stamp)
            portFrames[slot] = placed
        }
        portCount += written
    }

    /// Renders the cycle's events with `engine` into `left`/`right`, limits, and records a
    /// note-on's latency (frame 0 heard `heardAfterFrames` after `cycleStart`). Returns the
    /// events rendered and when it was done; the driver then counts the engine's voices (a call
    /// the checker accepts only in the driver's own module) and calls `recordPeriod`.
    @inlinable @inline(__always)
    public mutating func finish<E: SoundEngine & ~Copyable>(engine: inout E, left: UnsafeMutablePointer<Float>,
                                                            right: UnsafeMutablePointer<Float>, cycleStart: Int64,
                                                            drainedAt: Int64, heardAfterFrames: Int64) -> (events: Int, written: Int64) {
        let total = merge()
        engine.render(left: left, right: right, frameCount: frameCount,
                      events: UnsafeBufferPointer(rebasing: timed[0..<total]))
        if limits { limiter.process(left: left, right: right, frameCount: frameCount) }
        let written = MonotonicClock.now()
        if let records = latencyRecords {
            record(count: total, cycleStart: cycleStart, drainedAt: drainedAt, writtenAt: written,
                   delayFrames: heardAfterFrames + Int64(frameCount), into: records)
        }
        return (total, written)
    }

    /// The cycle's figures for the status line.
    @inlinable @inline(__always) @_noLocks
    public func recordPeriod(drainedAt: Int64, written: Int64, voices: Int, events: Int) {
        monitor.recordPeriod(renderNanoseconds: Int(written - drainedAt), voices: voices, events: events, leadNanoseconds: 0)
    }

    /// Both lists, each in frame order, into `timed`/`origins` in frame order (the ring's
    /// first at the same frame).
    @inlinable @inline(__always) @_noLocks
    func merge() -> Int {
        var ringIndex = 0
        var portIndex = 0
        var total = 0
        while ringIndex < ringCount || portIndex < portCount {
            let takeRing = portIndex >= portCount || (ringIndex < ringCount && drainedFrames[ringIndex] <= portFrames[portIndex])
            if takeRing {
                timed[total] = TimedMidiMessage(frame: drainedFrames[ringIndex], message: drained[ringIndex].message)
                origins[total] = drained[ringIndex]
                ringIndex += 1
            } else {
                timed[total] = TimedMidiMessage(frame: portFrames[portIndex], message: portEvents[portIndex].message)
                origins[total] = portEvents[portIndex]
                portIndex += 1
            }
            total += 1
        }
        return total
    }

    /// One record per note-on rendered this cycle (see the type's comment for the mapping).
    @inlinable @inline(__always) @_noLocks
    func record(count: Int, cycleStart: Int64, drainedAt: Int64, writtenAt: Int64, delayFrames: Int64,
                into records: LatencyRing) {
        for index in 0..<count where origins[index].isNoteOn {
            let event = origins[index]
            records.push(LatencyRecord(
                channel: UInt8(truncatingIfNeeded: event.message.channel), key: event.message.data1,
                velocity: event.message.data2, frame: timed[index].frame,
                periodFrames: Int32(truncatingIfNeeded: frameCount), rate: Int32(truncatingIfNeeded: rate),
                arrivalNanoseconds: event.arrivalNanoseconds, sourceNanoseconds: event.sourceNanoseconds,
                renderNanoseconds: drainedAt, statusNanoseconds: cycleStart,
                delayFrames: delayFrames, writtenNanoseconds: writtenAt))
        }
    }
}
