import AttaccaALSA
import AttaccaLatency
import Foundation
import Testing

@Suite struct LatencyReadoutTests {
    static func report() -> LatencyReport {
        var collector = LatencyCollector()
        for queue in 0..<200 { collector.add(LatencyCollectorTests.record(queueMicroseconds: Int64(queue * 13 % 1333))) }
        return collector.report(setup: LatencyCollectorTests.setup, unmeasured: 0, xruns: 2)
    }

    @Test func linesShowTheFiguresStagesAndBars() throws {
        let report = Self.report()
        let lines = LatencyReadout.lines(report, barWidth: 20, unicode: false)
        let total = try #require(report.total)
        #expect(lines[0] == "attacca hw:0,0: 48000 Hz, 2 x 64 frames (period 1.33 ms, floor 2.67 ms), mode lowest")
        #expect(lines[1] == "notes 200  unmeasured 0  xruns 2")
        #expect(lines[2].hasPrefix("total ms: min \(LatencyReadout.ms(total.minimum))  p50 \(LatencyReadout.ms(total.p50))"))
        #expect(lines[2].hasSuffix("jitter (p99-p1) \(LatencyReadout.ms(total.jitter))"))
        #expect(lines[3].hasPrefix("stages, mean ms: input wait 0.10 ("))
        let bars = lines.dropFirst(4)
        #expect(bars.count == report.histogram.count)
        // The fullest bin has the full width.
        let peak = report.histogram.map(\.count).max()!
        #expect(bars.contains { $0.hasSuffix(String(repeating: "#", count: 20) + " \(peak)") })
    }

    @Test func theRenderLeadIsShownWhenThePlayerHasOne() throws {
        var report = Self.report()
        report.renderLeadMilliseconds = 0.155
        let lines = LatencyReadout.lines(report, barWidth: 20, unicode: false)
        #expect(lines[0].hasSuffix("mode lowest, render lead 0.15 ms") || lines[0].hasSuffix("mode lowest, render lead 0.16 ms"))
        let decoded = try JSONDecoder().decode(LatencyReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.renderLeadMilliseconds == 0.155)
    }

    @Test func unicodeBarsResolveEighths() {
        #expect(LatencyReadout.bar(2.5, unicode: true) == "██▌")
        #expect(LatencyReadout.bar(0, unicode: true) == "")
    }

    @Test func theSVGHasOneBarPerNonEmptyBinAndTheFloor() {
        let report = Self.report()
        let svg = LatencyPlot.svg(report)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        let bars = svg.components(separatedBy: "class=\"bar\"").count - 1
        #expect(bars == report.histogram.filter { $0.count > 0 }.count)
        #expect(svg.contains(">floor</text>"))
        #expect(svg.contains("200 notes"))
    }
}
