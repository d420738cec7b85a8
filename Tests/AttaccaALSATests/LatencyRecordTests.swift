import AttaccaALSA
import AttaccaCore
import Testing

/// The per-note latency records: their arithmetic, and what the audio loop writes in each mode.
@Suite struct LatencyRecordTests {
    @Test func soundTimeIsTheStatusStampPlusTheQueuedFramesBeforeTheNote() {
        // 48 kHz, period 64, delay 128 after the write, note at frame 16: heard (128 − 64 + 16)
        // frames = 80 frames = 1_666_666 ns after the status.
        let record = LatencyRecord(frame: 16, periodFrames: 64, rate: 48000, arrivalNanoseconds: 1_000_000,
                                   sourceNanoseconds: 900_000, renderNanoseconds: 1_500_000,
                                   statusNanoseconds: 1_600_000, delayFrames: 128)
        #expect(record.soundNanoseconds == 1_600_000 + 1_666_666)
        #expect(record.startNanoseconds == 900_000)
        #expect(record.inputWaitNanoseconds == 100_000)
        #expect(record.queueWaitNanoseconds == 500_000)
        #expect(record.renderStageNanoseconds == 100_000)
        #expect(record.deviceBufferNanoseconds == 1_666_666)
        #expect(record.totalNanoseconds == record.inputWaitNanoseconds + record.queueWaitNanoseconds
            + record.renderStageNanoseconds + record.deviceBufferNanoseconds)
        #expect(record.totalNanoseconds == 2_366_666)
    }

    @Test func aStampLeftBehindByASteppingPointerDoesNotSplitTheStages() {
        // snd-aloop with a render lead: the pointer last moved (htstamp 1.0 ms) before the drain
        // (2.1 ms); the status was read at 2.2 ms. t_sound is still htstamp + (128 − 64) frames.
        let record = LatencyRecord(frame: 0, periodFrames: 64, rate: 48000, arrivalNanoseconds: 1_500_000,
                                   renderNanoseconds: 2_100_000, statusNanoseconds: 1_000_000, delayFrames: 128,
                                   writtenNanoseconds: 2_200_000)
        #expect(record.soundNanoseconds == 1_000_000 + 1_333_333)
        #expect(record.renderStageNanoseconds == 100_000)
        #expect(record.deviceBufferNanoseconds == 2_333_333 - 2_200_000)
        #expect(record.queueWaitNanoseconds + record.renderStageNanoseconds + record.deviceBufferNanoseconds
            == record.totalNanoseconds)
        #expect(record.renderStageNanoseconds > 0 && record.deviceBufferNanoseconds > 0)
    }

    @Test(arguments: [(Int64(0), Int64(5_000_000)), (5_000_001, 5_000_000), (1, 2_000_000_000)])
    func anImplausibleSourceStampIsIgnored(source: Int64, arrival: Int64) {
        // None, after the read, or more than a second before it: the read time is the start.
        let record = LatencyRecord(arrivalNanoseconds: arrival, sourceNanoseconds: source)
        #expect(record.startNanoseconds == arrival)
        #expect(record.inputWaitNanoseconds == 0)
    }

    /// Pushes note-ons that arrived `before` ns ahead of the drain, runs one cycle, returns the records.
    func records(mode: LatencyMode, before offsets: [Int64], extra: [RingEvent] = []) -> [LatencyRecord] {
        let ring = EventRing(capacity: 64)
        let monitor = AudioMonitor()
        let records = LatencyRing(capacity: 64)
        defer { ring.deallocate(); monitor.deallocate(); records.deallocate() }
        var loop = AudioLoop(device: FakePCM(periodSize: 64), ring: ring, monitor: monitor,
                             latencyMode: mode, latencyRecords: records)
        var engine = RecordingEngine()
        _ = loop.prefill()
        let drain = loop.device.clock
        for (index, offset) in offsets.enumerated() {
            ring.push(RingEvent(message: .noteOn(channel: 0, key: 60 + index, velocity: 90), arrivalNanoseconds: drain - offset))
        }
        for event in extra { ring.push(event) }
        _ = loop.cycle(engine: &engine)
        var result: [LatencyRecord] = []
        records.drain { result.append($0) }
        return result
    }

    @Test func constantModeGivesEveryNoteTheSameLatencyOfTwoPeriods() {
        let period = PCMConfiguration(periodSize: 64).periodNanoseconds  // 1_333_333 ns
        let result = records(mode: .constant, before: [period - 1, period * 3 / 4, period / 2, period / 4, 21_000])
        #expect(result.count == 5)
        // Fake status: htstamp = drain, delay = 128 frames. Heard at drain + (64 + frame)/48000 s,
        // frame = (arrival − (drain − period)) × 48000: total = 2 periods, to the frame (20.8 µs).
        for record in result {
            #expect(abs(record.totalNanoseconds - 2 * period) < 20_834, "\(record)")
        }
        #expect(result.map(\.frame) == [0, 16, 32, 48, 62])
    }

    /// Constant mode over a device whose clock the fake models: a first period (its status says
    /// when the next is heard), then the audio thread wakes `lateWake` after the period boundary,
    /// and the events (time `stamp`, read at `read`) are placed against the device's clock.
    func constantRecords(lateWake: Int64, events: [(stamp: Int64, read: Int64)]) -> (frames: [Int], totals: [Int64]) {
        let ring = EventRing(capacity: 64)
        let monitor = AudioMonitor()
        let records = LatencyRing(capacity: 64)
        defer { ring.deallocate(); monitor.deallocate(); records.deallocate() }
        var loop = AudioLoop(device: FakePCM(periodSize: 64), ring: ring, monitor: monitor,
                             latencyMode: .constant, latencyRecords: records)
        var engine = RecordingEngine()
        _ = loop.prefill()
        _ = loop.cycle(engine: &engine)  // status: htstamp = clock, delay 128 → next period heard 2 periods on
        let boundary = loop.device.clock + loop.periodNanoseconds
        #expect(loop.nextPeriodHeardAt == loop.device.clock + 2 * loop.periodNanoseconds)
        loop.device.clock = boundary + lateWake
        // The device played on while the thread slept: `lateWake` less is queued at its status.
        loop.device.statusDelay = 128 - Int(lateWake * 48000 / 1_000_000_000)
        for (index, event) in events.enumerated() {
            ring.push(RingEvent(message: .noteOn(channel: 0, key: 60 + index, velocity: 90),
                                arrivalNanoseconds: boundary + event.read, sourceNanoseconds: event.stamp == 0 ? 0 : boundary + event.stamp))
        }
        let recordedBefore = engine.count
        let periodStart = engine.position  // the engine records frames from its first render
        _ = loop.cycle(engine: &engine)
        var totals: [Int64] = []
        records.drain { totals.append($0.totalNanoseconds) }
        return (engine.recorded[recordedBefore...].map { $0.frame - periodStart }, totals)
    }

    @Test func constantModeIsAnchoredToTheDeviceClockNotToALateWakeUp() {
        let period = PCMConfiguration(periodSize: 64).periodNanoseconds
        // Woken 0.3 ms late; notes read (no stamps) a period, 3/4 and 1/4 of a period before the boundary.
        let result = constantRecords(lateWake: 300_000, events: [(0, -period + 1), (0, -period * 3 / 4), (0, -period / 4)])
        // Frames count from the boundary a period back, not from the late wake-up (which gave 0, 1, 33).
        #expect(result.frames == [0, 16, 48])
        for total in result.totals { #expect(abs(total - 2 * period) < 20_834, "\(total)") }
    }

    @Test func constantModePlacesAStampedEventByItsStampNotByALateRead() {
        let period = PCMConfiguration(periodSize: 64).periodNanoseconds
        // Delivered (stamped) half a period before the boundary, read 0.2 ms later; and one unstamped.
        let result = constantRecords(lateWake: 0, events: [(-period / 2, -period / 2 + 200_000), (0, -period / 4)])
        #expect(result.frames == [32, 48])  // by the read, the first would be at frame 41
        for total in result.totals { #expect(abs(total - 2 * period) < 20_834, "\(total)") }
    }

    @Test func lowestModeGivesOnePeriodPlusTheWaitForTheDrain() {
        let period = PCMConfiguration(periodSize: 64).periodNanoseconds
        let offsets = [period - 1, period / 2, 21_000]
        let result = records(mode: .lowest, before: offsets)
        #expect(result.map(\.frame) == [0, 0, 0])
        for (record, offset) in zip(result, offsets) {
            // Heard at drain + 64 frames (one period): total = period + how long it waited.
            #expect(record.totalNanoseconds == 1_333_333 + offset)
            #expect(record.queueWaitNanoseconds == offset)
            #expect(record.renderStageNanoseconds == 0)
            #expect(record.deviceBufferNanoseconds == 1_333_333)
        }
    }

    @Test func onlyNoteOnsAreRecorded() {
        let result = records(mode: .lowest, before: [1000], extra: [
            RingEvent(message: .noteOff(channel: 0, key: 60), arrivalNanoseconds: 1),
            RingEvent(message: .noteOn(channel: 0, key: 61, velocity: 0), arrivalNanoseconds: 1),
            RingEvent(message: .controlChange(channel: 0, controller: 7, value: 100), arrivalNanoseconds: 1),
        ])
        #expect(result.count == 1)
        #expect(result.first?.key == 60)
        #expect(result.first?.velocity == 90)
    }

    @Test func aPeriodLostToAnUnderrunLeavesNoRecord() {
        let ring = EventRing(capacity: 64)
        let monitor = AudioMonitor()
        let records = LatencyRing(capacity: 64)
        defer { ring.deallocate(); monitor.deallocate(); records.deallocate() }
        var loop = AudioLoop(device: FakePCM(), ring: ring, monitor: monitor, latencyRecords: records)
        var engine = RecordingEngine()
        _ = loop.prefill()
        ring.push(RingEvent(message: .noteOn(channel: 0, key: 60, velocity: 90), arrivalNanoseconds: loop.device.clock))
        loop.device.failNextWrite = -32
        _ = loop.cycle(engine: &engine)
        #expect(monitor.xruns == 1)
        #expect(records.drain { _ in } == 0)
    }

    @Test func aFullRingDropsAndCountsRecords() {
        let records = LatencyRing(capacity: 4)
        defer { records.deallocate() }
        for key in 0..<6 { records.push(LatencyRecord(key: UInt8(key))) }
        #expect(records.dropped == 2)
        var keys: [UInt8] = []
        records.drain { keys.append($0.key) }
        #expect(keys == [0, 1, 2, 3])
        #expect(records.push(LatencyRecord(key: 9)))
    }
}
