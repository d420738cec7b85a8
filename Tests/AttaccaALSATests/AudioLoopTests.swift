import AttaccaALSA
import AttaccaCore
import CAllocationCounter
import Testing

@Suite struct AudioLoopTests {
    /// A loop over a fake PCM with its own ring and monitor; `body` gets it and an engine.
    func withLoop(periodSize: Int = 64, format: PCMFormat = .s16, mode: LatencyMode = .lowest,
                  _ body: (inout AudioLoop<FakePCM>, inout RecordingEngine) throws -> Void) rethrows {
        let ring = EventRing(capacity: 256)
        let monitor = AudioMonitor()
        let records = LatencyRing(capacity: 1024)
        defer {
            ring.deallocate()
            monitor.deallocate()
            records.deallocate()
        }
        var loop = AudioLoop(device: FakePCM(periodSize: periodSize, format: format), ring: ring, monitor: monitor,
                             latencyMode: mode, latencyRecords: records)
        var engine = RecordingEngine()
        try body(&loop, &engine)
    }

    @Test func constantModePutsEventsAtTheFrameOfTheirArrivalInsideThePeriod() {
        withLoop(mode: .constant) { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            let start = loop.device.clock
            let period = loop.periodNanoseconds  // 1_333_333 ns at 48 kHz
            let arrivals: [Int64] = [start - 5 * period, start - period, start - period + 500_000, start - period / 2, start - 1]
            for (index, time) in arrivals.enumerated() {
                loop.ring.push(RingEvent(message: .noteOn(channel: 0, key: 60 + index, velocity: 100), arrivalNanoseconds: time))
            }
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            // Older than one period → frame 0; otherwise (t − (T − period)) × 48000 / 1e9.
            #expect(engine.recorded.map(\.frame) == [0, 0, 24, 32, 63])
            #expect(loop.monitor.eventsDelivered == 5)
        }
    }

    @Test func lowestModePutsPastEventsAtFrameZeroAndLaterOnesAtTheirDueFrame() {
        withLoop(mode: .lowest) { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            let start = loop.device.clock
            let period = loop.periodNanoseconds
            let arrivals: [Int64] = [start - 5 * period, start - period, start - 1, start + 500_000, start + 2 * period]
            for (index, time) in arrivals.enumerated() {
                loop.ring.push(RingEvent(message: .noteOn(channel: 0, key: 60 + index, velocity: 100), arrivalNanoseconds: time))
            }
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            // Already due → frame 0; stamped 0.5 ms after the drain → frame 24; beyond the period → its last frame.
            #expect(engine.recorded.map(\.frame) == [0, 0, 0, 24, 63])
        }
    }

    @Test func aNoteJustBeforeThePeriodIsInThatPeriod() {
        withLoop(periodSize: 16) { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            for _ in 0..<3 { let result = loop.cycle(engine: &engine); #expect(result) }
            let renderedBefore = engine.position
            loop.device.clock += loop.periodNanoseconds
            loop.ring.push(RingEvent(message: .noteOn(channel: 0, key: 64, velocity: 100), arrivalNanoseconds: loop.device.clock - 1_000))
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            let frame = engine.recorded.last!.frame
            #expect(frame >= renderedBefore && frame < renderedBefore + 16)
            #expect(engine.activeVoiceCount == 1)
            #expect(loop.monitor.voices == 1)
        }
    }

    @Test func underrunIsRecoveredCountedAndLeavesNoNoteStuck() {
        withLoop { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            loop.ring.push(RingEvent(message: .noteOn(channel: 1, key: 50, velocity: 80), arrivalNanoseconds: loop.device.clock))
            loop.device.failNextWrite = -32  // EPIPE
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.monitor.xruns == 1)
            #expect(loop.device.recoveries == 1)
            loop.device.failNextWait = -32
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.monitor.xruns == 2)
            loop.ring.push(RingEvent(message: .noteOff(channel: 1, key: 50), arrivalNanoseconds: loop.device.clock))
            let writes = loop.device.writes
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.writes == writes + 1)  // playing goes on
            #expect(engine.activeVoiceCount == 0)
        }
    }

    @Test func unrecoverableErrorStopsTheLoopAndSaysWhy() {
        withLoop { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            loop.device.failNextWrite = -19  // ENODEV: unplugged
            do { let result = loop.cycle(engine: &engine); #expect(!result) }
            #expect(loop.monitor.failureCode == -19)
        }
    }

    @Test func aDeviceThatStopsWithoutAnErrorIsGivenUpAfterTheStallWaitsWithoutADrain() {
        withLoop { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            let writes = loop.device.writes
            loop.device.stalled = true
            for _ in 1..<AudioLoop<FakePCM>.stallWaits {
                let result = loop.cycle(engine: &engine)
                #expect(result)
            }
            #expect(loop.monitor.failureCode == 0)
            do { let result = loop.cycle(engine: &engine); #expect(!result) }
            #expect(loop.monitor.failureCode == AudioLoop<FakePCM>.stallCode)
            #expect(loop.device.writes == writes)
            // Ending the loop on a stalled device must not wait for it to drain.
            loop.finish(engine: &engine)
            #expect(!loop.device.drained)
            #expect(loop.monitor.isFinished)
        }
    }

    @Test func timeoutsSeparatedByAPlayedPeriodAreNotAStall() {
        withLoop { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            for _ in 0..<3 {
                loop.device.stalled = true
                for _ in 1..<AudioLoop<FakePCM>.stallWaits {
                    let result = loop.cycle(engine: &engine)
                    #expect(result)
                }
                loop.device.stalled = false
                do { let result = loop.cycle(engine: &engine); #expect(result) }
                #expect(loop.silentWaits == 0)
            }
            #expect(loop.monitor.failureCode == 0)
        }
    }

    @Test func stopSilencesEveryChannelDrainsAndFinishes() {
        withLoop { loop, engine in
            loop.ring.push(RingEvent(message: .noteOn(channel: 9, key: 36, velocity: 100), arrivalNanoseconds: 0))
            do { let result = loop.prefill(); #expect(result) }
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(engine.activeVoiceCount == 1)
            loop.monitor.requestStop()
            loop.run(engine: &engine)
            #expect(loop.monitor.isFinished)
            #expect(loop.device.drained)
            #expect(engine.activeVoiceCount == 0)
            let allSoundOff = engine.recorded.filter { $0.message.kind == .controlChange && $0.message.data1 == 120 }
            #expect(Set(allSoundOff.map(\.message.channel)) == Set(0..<16))
        }
    }

    @Test func runsOnItsThreadUntilAskedToStop() throws {
        try withLoop { loop, engine in
            let loopPointer = withUnsafeMutablePointer(to: &loop) { $0 }
            let enginePointer = withUnsafeMutablePointer(to: &engine) { $0 }
            var thread = try AudioThread(priority: nil) {
                loopPointer.pointee.run(engine: &enginePointer.pointee)
            }
            while loop.monitor.periods < 100 {}
            loop.monitor.requestStop()
            thread.join()
            #expect(loop.monitor.isFinished)
            #expect(loop.monitor.xruns == 0)
        }
    }

    @Test(arguments: [(PCMFormat.s16, UInt32(0xC001_3FFF)), (.s32, 0x3FFF_FFFF), (.float, Float(0.5).bitPattern)])
    func convertsToTheDeviceFormat(format: PCMFormat, word: UInt32) {
        withLoop(format: format) { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            // Left +0.5, right -0.5: for S16 both samples fit in the first word.
            #expect(loop.device.firstWord == word)
        }
    }

    @Test func cyclesAllocateNothingAfterWarmUp() {
        withLoop { loop, engine in
            do { let result = loop.prefill(); #expect(result) }
            for _ in 0..<10 { _ = loop.cycle(engine: &engine) }
            attacca_allocation_counter_start()
            for index in 0..<200 {
                loop.ring.push(RingEvent(message: .noteOn(channel: 0, key: index % 128, velocity: 1 + index % 100),
                                         arrivalNanoseconds: loop.device.clock - 1000))
                loop.device.clock += loop.periodNanoseconds
                _ = loop.cycle(engine: &engine)
            }
            let allocations = attacca_allocation_counter_stop()
            #expect(allocations == 0)
            #expect(loop.monitor.eventsDelivered == 200)
            // The instrumentation ran inside the counted cycles: one record per note-on.
            #expect(loop.latencyRecords?.drain { _ in } == 200)
        }
    }
}
