import AttaccaALSA
import AttaccaCore
import CJack

/// The process callback's work, one JACK cycle at a time: the JACK MIDI port's events, each at
/// its own frame in the cycle (`jack_midi_event_t.time`), and the ring's, rendered straight into
/// the two output ports' buffers by `CallbackCycle`, which it shares with the PipeWire driver.
///
/// Not generic: the engine is passed to `process`, so each engine type gets its own
/// specialization and the native one is checked by `@_noLocks` (`process(frames:synthesizer:)`).
/// The ports are set (by `JACKSession`) before activation.
///
/// Latency records, in JACK's terms: frame 0 of this cycle's output is heard `L` frames after
/// the cycle's start (`jack_get_cycle_times`: `current_usecs`), L being the output port's
/// playback latency (`jack_port_get_latency_range`, `JackPlaybackLatency`, the larger end).
/// A JACK MIDI event at offset t arrived, in JACK's time, at frame time (cycle frame − period + t):
/// a period's events are delivered at the next cycle (`jack_frames_to_time` of that frame).
public struct JACKProcessor: ~Copyable {
    public var cycle: CallbackCycle
    /// Set by the session while the callback is not running.
    public var client: OpaquePointer?
    public var left: JACKPort?
    public var right: JACKPort?
    public var midi: JACKPort?
    /// JACK's clock (`jack_get_time`, µs) minus CLOCK_MONOTONIC, in ns: measured by the session
    /// when the client opens, so JACK's times and the ring's arrival stamps share one clock.
    public var jackClockOffsetNanoseconds: Int64 = 0
    /// The output's playback latency the latest cycle read.
    public private(set) var lastPlaybackLatencyFrames: UInt32 = 0

    public init(ring: EventRing, monitor: AudioMonitor, rate: Int, latencyMode: LatencyMode = .lowest,
                latencyRecords: LatencyRing? = nil) {
        cycle = CallbackCycle(ring: ring, monitor: monitor, rate: rate, latencyMode: latencyMode,
                              latencyRecords: latencyRecords)
    }

    public var limits: Bool {
        get { cycle.limits }
        set { cycle.limits = newValue }
    }
    public var receivedMidi: Int { cycle.receivedMidi }
    public var droppedMidi: Int { cycle.droppedMidi }

    /// One cycle of `frames` frames with `engine`. Returns 0 (non-zero would make JACK drop us).
    @inline(__always)
    public mutating func process<E: SoundEngine & ~Copyable>(frames: UInt32, engine: inout E) -> Int32 {
        let start = MonotonicClock.now()
        guard let left, let right, let outLeft = left.audioBuffer(frames: frames),
              let outRight = right.audioBuffer(frames: frames) else { return 0 }
        // This cycle's start on JACK's clock: its frame time and when it began.
        let (timesRead, _, cycleMicroseconds) = Self.cycleTimes(client)
        // Wrapping arithmetic: a JACK server answers what it answers (PipeWire's JACK has given
        // times of 2^63 µs and more), and the audio thread must not trap on it.
        let cycleStart = timesRead ? Int64(truncatingIfNeeded: cycleMicroseconds) &* 1000 &- jackClockOffsetNanoseconds : start
        let rate = cycle.rate
        let periodNanoseconds = Int64(frames) * 1_000_000_000 / rate
        // `lowest`: from the drain, as the ALSA loop does, so everything drained goes at frame 0
        // (from JACK's cycle start, what came in between it and this callback went later, by
        // up to 0.75 ms in the VM harness); `constant`: one period after the event's time.
        cycle.begin(frames: Int(frames), windowStart: cycle.constantDelay ? cycleStart &- periodNanoseconds : start,
                    drainedAt: start)
        readMidi(frames: frames, cycleStart: timesRead ? cycleStart : nil, arrival: start)
        let latency = left.playbackLatencyFrames
        lastPlaybackLatencyFrames = latency
        let (events, written) = cycle.finish(engine: &engine, left: outLeft, right: outRight, cycleStart: cycleStart, drainedAt: start,
                                             heardAfterFrames: Int64(latency))
        cycle.recordPeriod(drainedAt: start, written: written, voices: Self.voiceCount(&engine), events: events)
        return 0
    }

    /// `jack_get_cycle_times`: whether it answered, this cycle's frame time and start (µs).
    @inline(__always) @_noLocks
    static func cycleTimes(_ client: OpaquePointer?) -> (Bool, UInt32, UInt64) {
        _unsafePerformance {
            var frame: UInt32 = 0
            var current: UInt64 = 0
            var next: UInt64 = 0
            var period: Float = 0
            let code = jack_get_cycle_times(client, &frame, &current, &next, &period)
            return (code == 0, frame, current)
        }
    }

    /// The MIDI port's events into the cycle, stamped with their JACK time: an event at frame f
    /// came in the period before this cycle, `frames - f` frames before the cycle's start (what
    /// `jack_frames_to_time` of its frame time gives, without that call's unsigned arithmetic,
    /// which PipeWire's JACK wraps for a frame before its clock's position). Without the
    /// cycle's start (`cycleStart` nil), when the audio thread read it.
    @inline(__always)
    mutating func readMidi(frames: UInt32, cycleStart: Int64?, arrival: Int64) {
        guard let midi, let buffer = midi.midiBuffer(frames: frames) else { return }
        let available = Int(_unsafePerformance { jack_midi_get_event_count(buffer) })
        let rate = cycle.rate
        for index in 0..<available {
            var event = jack_midi_event_t()
            guard _unsafePerformance({ jack_midi_event_get(&event, buffer, UInt32(index)) }) == 0,
                  let bytes = event.buffer else { continue }
            let frame = Int64(event.time)
            var stamp = arrival
            if let cycleStart { stamp = cycleStart &- (Int64(frames) - min(frame, Int64(frames) - 1)) * 1_000_000_000 / rate }
            cycle.addPortPacket(UnsafePointer(bytes), size: event.size, frame: frame, stamp: stamp)
        }
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

extension JACKProcessor {
    /// The cycle with the native synthesizer, the real-time rules checked by the compiler.
    @_noLocks
    public mutating func process(frames: UInt32, synthesizer: inout Synthesizer) -> Int32 {
        process(frames: frames, engine: &synthesizer)
    }
}
