import Foundation

/// The report as text: the lines `attacca latency` draws (in place on a terminal, as plain
/// lines elsewhere) and `attacca play --latency` shows.
public enum LatencyReadout {
    /// Milliseconds with two decimals.
    public static func ms(_ value: Double) -> String { String(format: "%.2f", value) }

    /// `barWidth`: characters of the longest histogram bar; `unicode`: block characters, else `#`.
    public static func lines(_ report: LatencyReport, barWidth: Int = 40, unicode: Bool = true) -> [String] {
        let setup = report.setup
        var lines: [String] = []
        var head = "\(setup.source) \(setup.device): \(setup.rate) Hz, \(setup.periodCount) x \(setup.periodSize) frames"
        head += " (period \(ms(setup.periodMilliseconds)) ms, floor \(ms(report.floorMilliseconds)) ms)"
        if !setup.mode.isEmpty { head += ", mode \(setup.mode)" }
        if let lead = report.renderLeadMilliseconds { head += ", render lead \(ms(lead)) ms" }
        lines.append(head)
        if let unheard = report.unheard {
            lines.append("notes \(report.notes)  not heard \(unheard)  capture overruns \(report.xruns)" + (report.input.map { "  sent by \($0)" } ?? ""))
        } else {
            lines.append("notes \(report.notes)  unmeasured \(report.unmeasured)  xruns \(report.xruns)")
        }
        guard let total = report.total else {
            lines.append("no note measured yet: play some notes")
            return lines
        }
        lines.append("total ms: min \(ms(total.minimum))  p50 \(ms(total.p50))  p90 \(ms(total.p90))  p99 \(ms(total.p99))"
            + "  max \(ms(total.maximum))  jitter (p99-p1) \(ms(total.jitter))")
        if let level = report.levelOnset, let threshold = report.levelOnsetThreshold {
            lines.append("first sample above \(String(format: "%.4f", threshold)) ms: min \(ms(level.minimum))  p50 \(ms(level.p50))"
                + "  p90 \(ms(level.p90))  max \(ms(level.maximum))")
        }
        if !report.stages.isEmpty {
            let parts = report.stages.map { "\($0.stage.rawValue) \(ms($0.summary.mean)) (\(Int(($0.share * 100).rounded()))%)" }
            lines.append("stages, mean ms: " + parts.joined(separator: "  "))
        }
        let peak = max(report.histogram.map(\.count).max() ?? 0, 1)
        for bin in report.histogram {
            let length = Double(bin.count) * Double(barWidth) / Double(peak)
            lines.append(String(format: "%7.2f ms ", bin.from) + bar(length, unicode: unicode) + " \(bin.count)")
        }
        return lines
    }

    /// A bar `length` characters long, to an eighth of a character with block elements.
    public static func bar(_ length: Double, unicode: Bool) -> String {
        guard unicode else { return String(repeating: "#", count: Int(length.rounded())) }
        let eighths = Int((length * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }
}
