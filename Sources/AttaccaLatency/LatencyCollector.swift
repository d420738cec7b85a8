import AttaccaALSA
import Histogram

/// The non-real-time side of the measurement: HdrHistograms (nanoseconds, 3 significant
/// digits) of the total latency and of each stage, fed from `LatencyRecord`s or, for a
/// loopback measurement, from totals alone.
public struct LatencyCollector: Sendable {
    public private(set) var total: Histogram<UInt64>
    public private(set) var stages: [LatencyStage: Histogram<UInt64>]
    /// The latest notes by Attacca's own instrumentation, oldest first.
    public private(set) var recent: [RecentNote] = []
    /// Notes `recent` keeps.
    public static let recentCapacity = 64
    /// Bars in the report's histogram.
    public static let binCount = 16
    static let highest: UInt64 = 60_000_000_000

    public init() {
        total = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: Self.highest, numberOfSignificantValueDigits: .three)
        stages = [:]
        for stage in LatencyStage.allCases { stages[stage] = total }
    }

    public var count: Int { Int(total.totalCount) }

    /// A note measured by Attacca's own instrumentation: the total and every stage.
    public mutating func add(_ record: LatencyRecord) {
        addTotal(nanoseconds: record.totalNanoseconds)
        Self.record(record.inputWaitNanoseconds, in: &stages[.inputWait]!)
        Self.record(record.queueWaitNanoseconds, in: &stages[.queueWait]!)
        Self.record(record.renderStageNanoseconds, in: &stages[.render]!)
        Self.record(record.deviceBufferNanoseconds, in: &stages[.deviceBuffer]!)
        if recent.count == Self.recentCapacity { recent.removeFirst() }
        recent.append(RecentNote(channel: Int(record.channel), key: Int(record.key), velocity: Int(record.velocity),
                                 frame: Int(record.frame), periodFrames: Int(record.periodFrames),
                                 latency: Double(record.totalNanoseconds) / 1e6))
    }

    /// A note measured from outside (a loopback): the total only.
    public mutating func addTotal(nanoseconds: Int64) {
        Self.record(nanoseconds, in: &total)
    }

    public mutating func reset() { self = LatencyCollector() }

    /// Negative values (a clock step, a stale pointer) count as 0; beyond a minute as a minute.
    private static func record(_ value: Int64, in histogram: inout Histogram<UInt64>) {
        _ = histogram.record(UInt64(min(max(value, 0), Int64(highest))))
    }

    /// The report for `setup` with the counters kept elsewhere.
    public func report(setup: LatencySetup, unmeasured: Int, xruns: Int) -> LatencyReport {
        let summary = LatencySummary(nanoseconds: total)
        var stageSummaries: [LatencyStageSummary] = []
        if let summary, summary.mean > 0 {
            for stage in LatencyStage.allCases {
                guard let histogram = stages[stage], histogram.totalCount > 0,
                      let part = LatencySummary(nanoseconds: histogram) else { continue }
                stageSummaries.append(LatencyStageSummary(stage: stage, summary: part, share: part.mean / summary.mean))
            }
        }
        var report = LatencyReport(setup: setup, notes: count, unmeasured: unmeasured, xruns: xruns, total: summary,
                                   stages: stageSummaries, histogram: bins())
        if !recent.isEmpty { report.recentNotes = recent }
        return report
    }

    /// `binCount` equal bars from the lowest to the highest latency, on a 0.01 ms grid.
    func bins() -> [LatencyBin] {
        guard total.totalCount > 0 else { return [] }
        let grid: UInt64 = 10_000
        let low = total.min / grid * grid
        let high = total.max
        let width = max((high - low) / UInt64(Self.binCount) / grid * grid + grid, grid)
        let binCount = Int((high - low) / width) + 1
        var counts = [Int](repeating: 0, count: binCount)
        for value in total.recordedValues() {
            // Each recorded value once, by its bucket's median, so no note is counted twice.
            let median = total.medianEquivalentForValue(value.value)
            let index = Int((min(max(median, low), high) - low) / width)
            counts[min(index, binCount - 1)] += Int(value.count)
        }
        let result = counts.indices.map { index in
            LatencyBin(from: Double(low + UInt64(index) * width) / 1e6, to: Double(low + UInt64(index + 1) * width) / 1e6,
                       count: counts[index])
        }
        return result
    }
}
