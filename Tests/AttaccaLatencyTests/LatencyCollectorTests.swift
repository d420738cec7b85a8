import AttaccaALSA
import AttaccaLatency
import Testing

@Suite struct LatencyCollectorTests {
    static let setup = LatencySetup(device: "hw:0,0", rate: 48000, periodSize: 64, periodCount: 2, mode: "lowest")

    /// A record whose stages are input 0.1 ms, queue `queue` ms, render 0.05 ms, buffer 64 frames.
    static func record(queueMicroseconds queue: Int64) -> LatencyRecord {
        LatencyRecord(frame: 0, periodFrames: 64, rate: 48000, arrivalNanoseconds: 1_100_000, sourceNanoseconds: 1_000_000,
                      renderNanoseconds: 1_100_000 + queue * 1000, statusNanoseconds: 1_150_000 + queue * 1000,
                      delayFrames: 128)
    }

    @Test func summarizesTheTotalAndEachStage() throws {
        var collector = LatencyCollector()
        for queue in 1...100 { collector.add(Self.record(queueMicroseconds: Int64(queue) * 10)) }
        let report = collector.report(setup: Self.setup, unmeasured: 3, xruns: 1)
        #expect(report.notes == 100)
        #expect(report.unmeasured == 3)
        #expect(report.xruns == 1)
        #expect(abs(report.floorMilliseconds - 2.6667) < 0.001)
        let total = try #require(report.total)
        // total = 0.1 + queue + 0.05 + 1.3333 ms; queue 0.01 ... 1.00 ms.
        #expect(abs(total.minimum - 1.4933) < 0.002)
        #expect(abs(total.maximum - 2.4833) < 0.003)
        #expect(abs(total.p50 - 1.9833) < 0.003)
        #expect(abs(total.p99 - 2.4733) < 0.003)
        #expect(abs(total.p1 - 1.4933) < 0.003)
        #expect(abs(total.jitter - 0.98) < 0.005)
        #expect(report.stages.map(\.stage) == LatencyStage.allCases)
        let shares = report.stages.map(\.share).reduce(0, +)
        #expect(abs(shares - 1) < 0.01)
        let buffer = try #require(report.stages.first { $0.stage == .deviceBuffer })
        #expect(abs(buffer.summary.p50 - 1.3333) < 0.002)
        let input = try #require(report.stages.first { $0.stage == .inputWait })
        #expect(abs(input.summary.mean - 0.1) < 0.001)
    }

    @Test func histogramBinsCountEveryNoteOnce() {
        var collector = LatencyCollector()
        for queue in 0..<500 { collector.add(Self.record(queueMicroseconds: Int64(queue * 7 % 1300))) }
        let bins = collector.report(setup: Self.setup, unmeasured: 0, xruns: 0).histogram
        #expect(bins.map(\.count).reduce(0, +) == 500)
        #expect(bins.count <= LatencyCollector.binCount + 1)
        #expect(zip(bins, bins.dropFirst()).allSatisfy { $0.to == $1.from && $0.from < $0.to })
    }

    @Test func negativeStagesCountAsZero() throws {
        var collector = LatencyCollector()
        // Status stamp before the drain (a stale pointer): render counts 0, the total stays right.
        collector.add(LatencyRecord(periodFrames: 64, rate: 48000, arrivalNanoseconds: 1_000_000, renderNanoseconds: 2_000_000,
                                    statusNanoseconds: 1_900_000, delayFrames: 128))
        let report = collector.report(setup: Self.setup, unmeasured: 0, xruns: 0)
        let render = try #require(report.stages.first { $0.stage == .render })
        #expect(render.summary.maximum == 0)
        #expect(abs(try #require(report.total).p50 - 2.2333) < 0.002)
    }

    /// The report lists the latest 64 notes, oldest first, each with its frame and total.
    @Test func theLatestNotesAreListedWithTheirFrames() throws {
        var collector = LatencyCollector()
        for index in 0..<70 {
            var record = Self.record(queueMicroseconds: Int64(index))
            record.key = UInt8(index)
            record.frame = Int32(index % 64)
            collector.add(record)
        }
        let notes = try #require(collector.report(setup: Self.setup, unmeasured: 0, xruns: 0).recentNotes)
        #expect(notes.count == LatencyCollector.recentCapacity)
        #expect(notes.map(\.key) == Array(6..<70))
        #expect(notes.map(\.frame) == (6..<70).map { $0 % 64 })
        #expect(notes.allSatisfy { $0.periodFrames == 64 })
        // total = 0.1 + queue + 0.05 + 1.3333 ms + the frame (6 / 48 ms), queue = key µs.
        #expect(abs(notes[0].latency - (1.4833 + 0.006 + 0.125)) < 0.001)
    }

    @Test func anEmptyReportSaysSo() {
        let report = LatencyCollector().report(setup: Self.setup, unmeasured: 0, xruns: 0)
        #expect(report.recentNotes == nil)
        #expect(report.total == nil)
        #expect(report.histogram.isEmpty)
        #expect(LatencyReadout.lines(report).last == "no note measured yet: play some notes")
    }
}
