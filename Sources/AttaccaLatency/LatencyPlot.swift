import Foundation

/// The report's histogram as an SVG picture (`attacca latency --plot FILE.svg`): one bar per
/// bin, the floor and p50/p99 marked, the figures in the title.
public enum LatencyPlot {
    public static func svg(_ report: LatencyReport, width: Int = 640, height: Int = 360) -> String {
        let left = 60.0, right = 20.0, top = 50.0, bottom = 50.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let bins = report.histogram
        let low = min(bins.first?.from ?? 0, report.floorMilliseconds)
        let high = max(bins.last?.to ?? 1, report.floorMilliseconds) * 1.02
        let peak = Double(max(bins.map(\.count).max() ?? 0, 1))
        func x(_ ms: Double) -> Double { left + (ms - low) / max(high - low, 1e-9) * plotWidth }
        func y(_ count: Double) -> Double { top + plotHeight - count / peak * plotHeight }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        let setup = report.setup
        var title = "\(setup.source): \(report.notes) notes, \(setup.periodCount) x \(setup.periodSize) at \(setup.rate) Hz"
        if let total = report.total {
            title += ", p50 \(LatencyReadout.ms(total.p50)) ms, max \(LatencyReadout.ms(total.maximum)) ms"
        }
        svg += "<text x=\"\(f(left))\" y=\"20\" font-size=\"14\">\(escape(title))</text>\n"
        for bin in bins where bin.count > 0 {
            let x0 = x(bin.from), x1 = x(bin.to)
            svg += "<rect class=\"bar\" x=\"\(f(x0))\" y=\"\(f(y(Double(bin.count))))\" width=\"\(f(max(x1 - x0 - 1, 1)))\" "
                + "height=\"\(f(top + plotHeight - y(Double(bin.count))))\" fill=\"#4a7ab0\"><title>\(bin.count) notes, "
                + "\(LatencyReadout.ms(bin.from))-\(LatencyReadout.ms(bin.to)) ms</title></rect>\n"
        }
        let axis = top + plotHeight
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(axis))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(axis))\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(axis))\" stroke=\"black\"/>\n"
        for tick in 0...4 {
            let ms = low + (high - low) * Double(tick) / 4
            svg += "<text x=\"\(f(x(ms)))\" y=\"\(f(axis + 16))\" text-anchor=\"middle\">\(LatencyReadout.ms(ms))</text>\n"
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(axis + 36))\" text-anchor=\"middle\">note-on to sound, ms</text>\n"
        svg += "<text x=\"\(f(left - 8))\" y=\"\(f(top + 4))\" text-anchor=\"end\">\(Int(peak))</text>\n"
        var marks = [("floor", report.floorMilliseconds, "#c03030")]
        if let total = report.total { marks += [("p50", total.p50, "#208020"), ("p99", total.p99, "#806000")] }
        for (name, ms, color) in marks {
            svg += "<line x1=\"\(f(x(ms)))\" y1=\"\(f(top))\" x2=\"\(f(x(ms)))\" y2=\"\(f(axis))\" stroke=\"\(color)\" stroke-dasharray=\"4 3\"/>\n"
            svg += "<text x=\"\(f(x(ms) + 3))\" y=\"\(f(top + 12))\" fill=\"\(color)\">\(name)</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }
}
