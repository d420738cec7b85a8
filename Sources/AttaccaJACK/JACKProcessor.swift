import AttaccaALSA
import AttaccaCore
import CJack

/// The process callback's work, one JACK cycle at a time: read the MIDI port's events, each at
/// its own frame in the cycle (`jack_midi_event_t.time`: sample-accurate, where FluidSynth's
/// JACK driver plays every event at frame 0), merge with the events the ring holds (the ALSA
/// sequencer input and a MIDI file, placed as `AudioLoop` places them), render the engine
/// straight into the two output ports' buffers, and leave a `LatencyRecord` per note-on.
///
/// Not generic: the engine is passed to `process`, so each engine type gets its own
/// specialization and the native one is checked by `@_noLocks` (`process(frames:synthesizer:)`).
/// Every buffer is allocated in `init`; the ports are set (by `JACKSession`) before activation.
///
/// Latency records, in JACK's terms: frame 0 of this cycle's output is heard `L` frames after
/// the cycle's start (`jack_get_cycle_times`: `current_usecs`), L being the output port's
/// playback latency (`jack_port_get_latency_range`, `JackPlaybackLatency`, the larger end).
/// The record's `statusNanoseconds` is that cycle start and `delayFrames` L + period, so the
/// reader's t_sound = status + (delay − period + frame) / rate holds unchanged. A JACK MIDI
/// event at offset t arrived, in JACK's time, at frame time (cycle frame − period + t): a
/// period's events are delivered at the next cycle (`jack_frames_to_time` of that frame).
public struct JACKProcessor: ~Copyable {
    public let ring: EventRing
    public let monitor: AudioMonitor
    public let latencyRecords: LatencyRing?
    /// `latencyMode == .constant`, for the ring's events (JACK MIDI events are always exact).
    let constantDelay: Bool
    /// Whether the limiter runs on each cycle (`attacca play --limiter on`).
    public var limits = false
    public var limiter: OutputLimiter
    public let rate: Int64
    /// Set by the session while the callback is not running.
    public var client: OpaquePointer?
    public var left: JACKPort?
    public var right: JACKPort?
    public var midi: JACKPort?
    /// JACK's clock (`jack_get_time`, µs) minus CLOCK_MONOTONIC, in ns: measured by the session
    /// when the client opens, so JACK's times and the ring's arrival stamps share one clock.
    public var jackClockOffsetNanoseconds: Int64 = 0
    /// Most events one cycle takes from the MIDI port (more are dropped and counted).
    public static var midiCapacity: Int { 2048 }

    let drained: UnsafeMutableBufferPointer<RingEvent>
    let drainedFrames: UnsafeMutableBufferPointer<Int32>
    let midiEvents: UnsafeMutableBufferPointer<RingEvent>
    let midiFrames: UnsafeMutableBufferPointer<Int32>
    /// The decoder's output, before the events are stamped.
    let decoded: UnsafeMutablePointer<MidiMessage>
    /// The merged, frame-ordered events the engine renders, and for each its origin (for records).
    let timed: UnsafeMutableBufferPointer<TimedMidiMessage>
    let origins: UnsafeMutableBufferPointer<RingEvent>
    /// Messages read from the MIDI port, and those past `midiCapacity` (dropped). Plain counts
    /// of the callback's: read them once it has stopped.
    public private(set) var receivedMidi = 0
    public private(set) var droppedMidi = 0
    /// The output's playback latency the latest cycle read.
    public private(set) var lastPlaybackLatencyFrames: UInt32 = 0

    public init(ring: EventRing, monitor: AudioMonitor, rate: Int, latencyMode: LatencyMode = .lowest,
                latencyRecords: LatencyRing? = nil) {
        self.ring = ring
        self.monitor = monitor
        self.latencyRecords = latencyRecords
        constantDelay = latencyMode == .constant
        self.rate = Int64(rate)
        limiter = OutputLimiter(sampleRate: rate)
        let ringRoom = ring.capacity + 16 * 128
        drained = .allocate(capacity: ringRoom)
        drained.initialize(repeating: RingEvent(message: MidiMessage(status: 0), arrivalNanoseconds: 0))
        drainedFrames = .allocate(capacity: ringRoom)
        drainedFrames.initialize(repeating: 0)
        midiEvents = .allocate(capacity: Self.midiCapacity)
        midiEvents.initialize(repeating: RingEvent(message: MidiMessage(status: 0), arrivalNanoseconds: 0))
        midiFrames = .allocate(capacity: Self.midiCapacity)
        midiFrames.initialize(repeating: 0)
        decoded = .allocate(capacity: Self.midiCapacity)
        decoded.initialize(repeating: MidiMessage(status: 0), count: Self.midiCapacity)
        let all = ringRoom + Self.midiCapacity
        timed = .allocate(capacity: all)
        timed.initialize(repeating: TimedMidiMessage(frame: 0, message: MidiMessage(status: 0)))
        origins = .allocate(capacity: all)
        origins.initialize(repeating: RingEvent(message: MidiMessage(status: 0), arrivalNanoseconds: 0))
    }

    deinit {
        drained.deallocate()
        drainedFrames.deallocate()
        midiEvents.deallocate()
        midiFrames.deallocate()
        decoded.deallocate()
        timed.deallocate()
        origins.deallocate()
    }

    /// One cycle of `frames` frames with `engine`. Returns 0 (non-zero would make JACK drop us).
    @inline(__always)
    public mutating func process<E: SoundEngine & ~Copyable>(frames: UInt32, engine: inout E) -> Int32 {
        let start = MonotonicClock.now()
        guard let left, let right, let outLeft = left.audioBuffer(frames: frames),
              let outRight = right.audioBuffer(frames: frames) else { return 0 }
        let frameCount = Int(frames)
        // This cycle's start on JACK's clock: its frame time and when it began.
        let (timesRead, _, cycleMicroseconds) = Self.cycleTimes(client)
        // Wrapping arithmetic: a JACK server answers what it answers (PipeWire's JACK has given
        // times of 2^63 µs and more), and the audio thread must not trap on it.
        let cycleStart = timesRead ? Int64(truncatingIfNeeded: cycleMicroseconds) &* 1000 &- jackClockOffsetNanoseconds : start
        let periodNanoseconds = Int64(frames) * 1_000_000_000 / rate

        let ringCount = ring.drain(into: drained, overflowStamp: start)
        // `lowest`: from the drain, as the ALSA loop does, so everything drained goes at frame 0
        // (from JACK's cycle start, what came in between it and this callback went later, by
        // up to 0.75 ms in the VM harness); `constant`: one period after the event's time.
        placeRingEvents(count: ringCount, windowStart: constantDelay ? cycleStart &- periodNanoseconds : start,
                        frameCount: frameCount)
        let midiCount = readMidi(frames: frames, cycleStart: timesRead ? cycleStart : nil, arrival: start)
        let total = merge(ringCount: ringCount, midiCount: midiCount)

        engine.render(left: outLeft, right: outRight, frameCount: frameCount,
                      events: UnsafeBufferPointer(rebasing: timed[0..<total]))
        if limits { limiter.process(left: outLeft, right: outRight, frameCount: frameCount) }
        let written = MonotonicClock.now()
        let latency = left.playbackLatencyFrames
        lastPlaybackLatencyFrames = latency
        if let records = latencyRecords {
            recordLatency(count: total, frames: frames, latency: latency, cycleStart: cycleStart,
                          drainedAt: start, writtenAt: written, into: records)
        }
        let voices = Self.voiceCount(&engine)
        monitor.recordPeriod(renderNanoseconds: Int(written - start), voices: voices, events: total)
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

    /// Frames for the ring's events, never decreasing, as `AudioLoop.placeEvents` does: `lowest`
    /// puts what arrived before the cycle at frame 0, `constant` each event one period after its time.
    @inline(__always)
    func placeRingEvents(count: Int, windowStart: Int64, frameCount: Int) {
        let lastFrame = Int64(frameCount - 1)
        var previous: Int64 = 0
        for index in 0..<count {
            let frame = drained[index].frame(windowStart: windowStart, rate: rate, constantDelay: constantDelay,
                                             previous: previous, lastFrame: lastFrame)
            previous = frame
            drainedFrames[index] = Int32(truncatingIfNeeded: frame)
        }
    }

    /// The MIDI port's events into `midiEvents`/`midiFrames`, stamped with their JACK time: an
    /// event at frame f came in the period before this cycle, `frames - f` frames before the
    /// cycle's start (what `jack_frames_to_time` of its frame time gives, without that call's
    /// unsigned arithmetic, which PipeWire's JACK wraps for a frame before its clock's position).
    /// Without the cycle's start (`cycleStart` nil), when the audio thread read it.
    @inline(__always)
    mutating func readMidi(frames: UInt32, cycleStart: Int64?, arrival: Int64) -> Int {
        guard let midi, let buffer = midi.midiBuffer(frames: frames) else { return 0 }
        let available = Int(_unsafePerformance { jack_midi_get_event_count(buffer) })
        var count = 0
        var previous: Int32 = 0
        for index in 0..<available {
            var event = jack_midi_event_t()
            guard _unsafePerformance({ jack_midi_event_get(&event, buffer, UInt32(index)) }) == 0,
                  let bytes = event.buffer else { continue }
            let frame = max(min(Int32(truncatingIfNeeded: event.time), Int32(frames) - 1), previous)
            previous = frame
            // When it arrived in JACK's time: its frame in the period before this cycle.
            var stamp = arrival
            if let cycleStart { stamp = cycleStart &- (Int64(frames) - Int64(frame)) * 1_000_000_000 / rate }
            let (written, dropped) = JACKMidiDecoder.decode(UnsafePointer(bytes), size: event.size,
                                                             into: decoded + count, room: Self.midiCapacity - count)
            droppedMidi += dropped
            receivedMidi += written + dropped
            for slot in count..<(count + written) {
                midiEvents[slot] = RingEvent(message: decoded[slot], arrivalNanoseconds: stamp, sourceNanoseconds: stamp)
                midiFrames[slot] = frame
            }
            count += written
        }
        return count
    }

    /// Both lists, each in frame order, into `timed`/`origins` in frame order (the ring's
    /// first at the same frame).
    @inline(__always)
    func merge(ringCount: Int, midiCount: Int) -> Int {
        var ringIndex = 0
        var midiIndex = 0
        var total = 0
        while ringIndex < ringCount || midiIndex < midiCount {
            let takeRing = midiIndex >= midiCount || (ringIndex < ringCount && drainedFrames[ringIndex] <= midiFrames[midiIndex])
            if takeRing {
                timed[total] = TimedMidiMessage(frame: drainedFrames[ringIndex], message: drained[ringIndex].message)
                origins[total] = drained[ringIndex]
                ringIndex += 1
            } else {
                timed[total] = TimedMidiMessage(frame: midiFrames[midiIndex], message: midiEvents[midiIndex].message)
                origins[total] = midiEvents[midiIndex]
                midiIndex += 1
            }
            total += 1
        }
        return total
    }

    /// One record per note-on rendered this cycle (see the type's comment for the mapping).
    @inline(__always)
    func recordLatency(count: Int, frames: UInt32, latency: UInt32, cycleStart: Int64, drainedAt: Int64,
                       writtenAt: Int64, into records: LatencyRing) {
        for index in 0..<count where origins[index].isNoteOn {
            let event = origins[index]
            records.push(LatencyRecord(
                channel: UInt8(truncatingIfNeeded: event.message.channel), key: event.message.data1,
                velocity: event.message.data2, frame: timed[index].frame,
                periodFrames: Int32(truncatingIfNeeded: frames), rate: Int32(truncatingIfNeeded: rate),
                arrivalNanoseconds: event.arrivalNanoseconds, sourceNanoseconds: event.sourceNanoseconds,
                renderNanoseconds: drainedAt, statusNanoseconds: cycleStart,
                delayFrames: Int64(latency) + Int64(frames), writtenNanoseconds: writtenAt))
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
