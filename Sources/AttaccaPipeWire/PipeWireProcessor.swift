import AttaccaALSA
import AttaccaCore
import CPipeWire

/// The filter's process callback, one graph cycle at a time, on PipeWire's real-time data
/// thread (`PW_FILTER_FLAG_RT_PROCESS`): the MIDI port's packets (each at its control's frame,
/// sample-accurate) and the ring's, rendered into the two output ports' buffers by
/// `CallbackCycle`, as the JACK driver does.
///
/// Latency records use what a JACK client cannot see: the driver's clock. When the graph's
/// driver is an ALSA sink, `spa_io_clock.delay` is the frames the device held when it woke the
/// graph (`buffer − avail`, at `clock.nsec`), and this cycle's output goes in right behind them:
/// frame 0 is heard `delay` frames after `clock.nsec`. JACK's port latency is a fixed estimate
/// of the same; under PipeWire it missed how full the sink runs by up to a period.
public struct PipeWireProcessor: ~Copyable {
    public var cycle: CallbackCycle
    /// The filter's ports (libpipewire's port data), set by the session before processing starts.
    public var left: UnsafeMutableRawPointer?
    public var right: UnsafeMutableRawPointer?
    public var midi: UnsafeMutableRawPointer?
    /// The cycles the graph ran without this node (its driver's position moved by more than the
    /// previous cycle's duration), counted as xruns; and cycles at another rate than the engine's
    /// (silent). A new driver (the node linked to a device, or unlinked: `clock.id` changes) has a
    /// position of its own, and is not a missed cycle.
    public private(set) var missedCycles = 0
    public private(set) var wrongRateCycles = 0
    var expectedPosition: UInt64 = 0
    var clockID: UInt32 = 0
    /// Most frames a cycle may have (PipeWire's largest quantum is 8192).
    public static var maximumFrames: Int { 8192 }
    let packetFrames: UnsafeMutablePointer<UInt32>
    let packetBytes: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    let packetSizes: UnsafeMutablePointer<UInt32>
    /// Where a port with no buffer this cycle (linked to nothing) is rendered: the engine still
    /// plays every event and ages every voice.
    let unlinkedLeft: UnsafeMutablePointer<Float>
    let unlinkedRight: UnsafeMutablePointer<Float>

    public init(ring: EventRing, monitor: AudioMonitor, rate: Int, latencyMode: LatencyMode = .lowest,
                latencyRecords: LatencyRing? = nil) {
        cycle = CallbackCycle(ring: ring, monitor: monitor, rate: rate, latencyMode: latencyMode,
                              latencyRecords: latencyRecords)
        let room = CallbackCycle.portCapacity
        packetFrames = .allocate(capacity: room)
        packetFrames.initialize(repeating: 0, count: room)
        packetBytes = .allocate(capacity: room)
        packetBytes.initialize(repeating: nil, count: room)
        packetSizes = .allocate(capacity: room)
        packetSizes.initialize(repeating: 0, count: room)
        unlinkedLeft = .allocate(capacity: Self.maximumFrames)
        unlinkedLeft.initialize(repeating: 0, count: Self.maximumFrames)
        unlinkedRight = .allocate(capacity: Self.maximumFrames)
        unlinkedRight.initialize(repeating: 0, count: Self.maximumFrames)
    }

    deinit {
        packetFrames.deallocate()
        packetBytes.deallocate()
        packetSizes.deallocate()
        unlinkedLeft.deallocate()
        unlinkedRight.deallocate()
    }

    /// Forgets the previous cycle's position (a new filter, after the daemon came back).
    public mutating func restart() { expectedPosition = 0 }

    /// One cycle, as `position` describes it, with `engine`.
    @inline(__always)
    public mutating func process<E: SoundEngine & ~Copyable>(position: UnsafeMutablePointer<spa_io_position>, engine: inout E) {
        let start = MonotonicClock.now()
        let clock = position.pointee.clock
        let frames = Int(truncatingIfNeeded: clock.duration)
        guard frames > 0, frames <= Self.maximumFrames else { requeueMidi(); return }
        let outLeft = Self.buffer(left, frames: frames) ?? unlinkedLeft
        let outRight = Self.buffer(right, frames: frames) ?? unlinkedRight
        if expectedPosition != 0 && clock.id == clockID && clock.position != expectedPosition {
            missedCycles += 1
            cycle.monitor.recordXrun()
        }
        expectedPosition = clock.position &+ clock.duration
        clockID = clock.id
        guard Int64(clock.rate.denom) == cycle.rate else {
            wrongRateCycles += 1
            outLeft.initialize(repeating: 0, count: frames)
            outRight.initialize(repeating: 0, count: frames)
            requeueMidi()
            return
        }
        // CLOCK_MONOTONIC, as PipeWire's clock is: when the driver woke the graph.
        let cycleStart = Int64(truncatingIfNeeded: clock.nsec)
        let periodNanoseconds = Int64(frames) * 1_000_000_000 / cycle.rate
        cycle.begin(frames: frames, windowStart: cycle.constantDelay ? cycleStart &- periodNanoseconds : start,
                    drainedAt: start)
        readMidi(frames: frames, cycleStart: cycleStart)
        // A playback driver's delay (positive in PipeWire 0.3's ALSA sink, negative by the
        // header's word): its size, at most a second.
        let delay = min(Int64(truncatingIfNeeded: clock.delay).magnitude, UInt64(cycle.rate))
        let (events, written) = cycle.finish(engine: &engine, left: outLeft, right: outRight, cycleStart: cycleStart, drainedAt: start,
                                             heardAfterFrames: Int64(delay))
        cycle.recordPeriod(drainedAt: start, written: written, voices: Self.voiceCount(&engine), events: events)
    }

    @inline(__always) @_noLocks
    static func buffer(_ port: UnsafeMutableRawPointer?, frames: Int) -> UnsafeMutablePointer<Float>? {
        guard let port else { return nil }
        return _unsafePerformance { pw_filter_get_dsp_buffer(port, UInt32(frames))?.assumingMemoryBound(to: Float.self) }
    }

    /// The MIDI port's packets into the cycle. A packet at frame f is stamped as JACK's are: it
    /// came in the period before this cycle, `frames − f` frames before the cycle's start.
    @inline(__always) @_noLocks
    mutating func readMidi(frames: Int, cycleStart: Int64) {
        guard let midi, let buffer = _unsafePerformance({ pw_filter_dequeue_buffer(midi) }) else { return }
        let (packetFrames, packetBytes, packetSizes) = (self.packetFrames, self.packetBytes, self.packetSizes)
        let room = UInt32(CallbackCycle.portCapacity)
        let count = Int(_unsafePerformance { attacca_pw_midi_packets(buffer, packetFrames, packetBytes, packetSizes, room) })
        let rate = cycle.rate
        for index in 0..<count {
            guard let bytes = packetBytes[index] else { continue }
            let frame = min(Int64(packetFrames[index]), Int64(frames - 1))
            let stamp = cycleStart &- (Int64(frames) - frame) * 1_000_000_000 / rate
            cycle.addPortPacket(bytes, size: Int(packetSizes[index]), frame: frame, stamp: stamp)
        }
        _ = _unsafePerformance { pw_filter_queue_buffer(midi, buffer) }
    }

    /// A silent cycle still gives the MIDI port's buffer back.
    @inline(__always) @_noLocks
    func requeueMidi() {
        guard let midi, let buffer = _unsafePerformance({ pw_filter_dequeue_buffer(midi) }) else { return }
        _ = _unsafePerformance { pw_filter_queue_buffer(midi, buffer) }
    }
    /// `activeVoiceCount` of an engine from another module, which the checker cannot see into.
    @inline(__always)
    static func voiceCount<E: SoundEngine & ~Copyable>(_ engine: inout E) -> Int {
        withUnsafeMutablePointer(to: &engine) { pointer in
            let engine = UnsafePointer(pointer)
            return _unsafePerformance { engine.pointee.activeVoiceCount }
        }
    }
}

extension PipeWireProcessor {
    /// The cycle with the native synthesizer, the real-time rules checked by the compiler.
    @_noLocks
    public mutating func process(position: UnsafeMutablePointer<spa_io_position>, synthesizer: inout Synthesizer) {
        process(position: position, engine: &synthesizer)
    }
}
