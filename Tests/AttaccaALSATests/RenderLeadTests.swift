import AttaccaALSA
import AttaccaCore
import Testing

/// The audio loop's render lead: when it sleeps, how long, and what that does to the notes.
@Suite struct RenderLeadTests {
    @Test func argumentsAreOffAutoOrMicroseconds() {
        #expect(RenderLead(argument: "auto") == .auto)
        #expect(RenderLead(argument: "off") == .off)
        #expect(RenderLead(argument: "0") == .off)
        #expect(RenderLead(argument: "250") == .fixed(nanoseconds: 250_000))
        for bad in ["", "-1", "1.5", "fast", "1000001"] { #expect(RenderLead(argument: bad) == nil) }
        #expect(RenderLead.fixed(nanoseconds: 250_000).argument == "250")
    }

    /// One loop (2 × 64 at 48 kHz over `FakePCM`, status delay 128 after each write): prefill,
    /// one cycle at the fake's start time C, so the next frame is needed at C + 128 frames;
    /// then `body` with the clock moved one period on (the wake-up at the next period).
    func afterFirstCycle(mode: LatencyMode = .lowest, lead: RenderLead,
                         _ body: (inout AudioLoop<FakePCM>, inout RecordingEngine, _ neededAt: Int64) -> Void) {
        let ring = EventRing(capacity: 64)
        let monitor = AudioMonitor()
        defer { ring.deallocate(); monitor.deallocate() }
        var loop = AudioLoop(device: FakePCM(periodSize: 64), ring: ring, monitor: monitor, latencyMode: mode, renderLead: lead)
        var engine = RecordingEngine()
        do { let result = loop.prefill(); #expect(result) }
        let start = loop.device.clock
        do { let result = loop.cycle(engine: &engine); #expect(result) }
        #expect(loop.device.sleeps.isEmpty)  // no status yet: rendered at the wake-up
        #expect(loop.nextPeriodHeardAt == start + 2_666_666)
        loop.device.clock = start + loop.periodNanoseconds
        body(&loop, &engine, start + 2_666_666)
    }

    @Test func aFixedLeadSleepsUntilThatLongBeforeTheDeviceNeedsTheNextFrame() {
        afterFirstCycle(lead: .fixed(nanoseconds: 250_000)) { loop, engine, neededAt in
            // Arrives 1 ms after the wake-up, before the render: in this period, at frame 0.
            let arrival = loop.device.clock + 1_000_000
            loop.ring.push(RingEvent(message: .noteOn(channel: 0, key: 60, velocity: 100), arrivalNanoseconds: arrival))
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps == [neededAt - 250_000])
            #expect(loop.lastCycleStart == neededAt - 250_000)
            #expect(engine.recorded.last?.frame == 64)  // the second period's frame 0
            #expect(loop.monitor.renderLeadNanoseconds == 250_000)
        }
    }

    @Test func withoutALeadTheSameNoteWaitsForItsFrameInsideThePeriod() {
        afterFirstCycle(lead: .off) { loop, engine, _ in
            let arrival = loop.device.clock + 1_000_000
            loop.ring.push(RingEvent(message: .noteOn(channel: 0, key: 60, velocity: 100), arrivalNanoseconds: arrival))
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps.isEmpty)
            #expect(engine.recorded.last?.frame == 64 + 48)  // 1 ms after the drain
            #expect(loop.monitor.renderLeadNanoseconds == 0)
        }
    }

    @Test func constantModeHasNoLead() {
        afterFirstCycle(mode: .constant, lead: .auto) { loop, engine, _ in
            #expect(loop.renderLead == .off)
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps.isEmpty)
        }
    }

    @Test func autoStartsAtItsSafetyMarginAddsTheOversleepAndDoublesAfterAnXrun() {
        afterFirstCycle(lead: .auto) { loop, engine, neededAt in
            // The fake costs no time: the lead is the safety margin alone.
            loop.device.oversleep = 30_000
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps == [neededAt - 100_000])
            #expect(loop.leadNanoseconds == 100_000)
            // The next period: the 30 µs oversleep (less 1/4096 of it, a period's decay) is now
            // part of the lead.
            let next = loop.nextPeriodHeardAt
            loop.device.clock = next - loop.periodNanoseconds
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            let lead: Int64 = 100_000 + 30_000 - 30_000 >> 12
            #expect(loop.leadNanoseconds == lead)
            #expect(loop.device.sleeps.last == next - lead)
            // An underrun: the margin doubles, and the first period after it has no lead.
            loop.device.failNextWrite = -32
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.monitor.xruns == 1)
            #expect(loop.leadSafetyNanoseconds == 200_000)
            #expect(loop.nextPeriodHeardAt == 0)
            let sleeps = loop.device.sleeps.count
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps.count == sleeps)
        }
    }

    @Test func aDeadlineAlreadyPastIsNotSlept() {
        afterFirstCycle(lead: .fixed(nanoseconds: 250_000)) { loop, engine, neededAt in
            loop.device.clock = neededAt - 100_000  // woken late: render at once
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps.isEmpty)
        }
    }

    /// A status whose stamp came late (the device's interrupt held back) projects the next frame
    /// late; here 10 periods away. The deadline stays the earlier estimate moved one period on,
    /// plus 1/64 of the difference, and the loop sleeps until the lead before that, not past it.
    @Test func aLateStatusDoesNotPutTheDeadlineLate() {
        afterFirstCycle(lead: .fixed(nanoseconds: 250_000)) { loop, engine, neededAt in
            loop.device.statusDelay = 1280
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            let advanced = neededAt + loop.periodNanoseconds
            let projection = loop.device.clock + 1280 * 1_000_000_000 / 48000
            #expect(loop.nextPeriodHeardAt == advanced + (projection - advanced) >> 6)
            loop.device.clock += loop.periodNanoseconds / 2
            let next = loop.nextPeriodHeardAt
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps.last == next - 250_000)
        }
    }

    /// A status projecting earlier than the estimate is taken as it is.
    @Test func anEarlierStatusIsTakenAtOnce() {
        afterFirstCycle(lead: .fixed(nanoseconds: 250_000)) { loop, engine, neededAt in
            loop.device.statusDelay = 64
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.nextPeriodHeardAt == loop.device.clock + 64 * 1_000_000_000 / 48000)
            #expect(loop.nextPeriodHeardAt < neededAt + loop.periodNanoseconds)
        }
    }

    @Test func withThreePeriodsTheLeadDoesNothing() {
        let ring = EventRing(capacity: 64)
        let monitor = AudioMonitor()
        defer { ring.deallocate(); monitor.deallocate() }
        var loop = AudioLoop(device: FakePCM(periodSize: 64, periodCount: 3), ring: ring, monitor: monitor,
                             renderLead: .fixed(nanoseconds: 250_000))
        var engine = RecordingEngine()
        do { let result = loop.prefill(); #expect(result) }
        for _ in 0..<3 {
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            loop.device.clock += loop.periodNanoseconds
        }
        // The next frame is needed two periods after each wake-up: more than a period away.
        #expect(loop.device.sleeps.isEmpty)
    }

    @Test func aLeadOfAPeriodOrMoreIsRenderingAtTheWakeUp() {
        afterFirstCycle(lead: .fixed(nanoseconds: 5_000_000)) { loop, engine, _ in
            do { let result = loop.cycle(engine: &engine); #expect(result) }
            #expect(loop.device.sleeps.isEmpty)
            #expect(loop.leadNanoseconds == loop.periodNanoseconds)
        }
    }
}
