import AttaccaLatency
import Foundation
import Testing

/// `attacca play --latency` and `attacca latency` against a player on the `null` PCM. Each test
/// has its own XDG_RUNTIME_DIR, so players of tests running in parallel never meet.
@Suite(.enabled(if: CommandRunner.executable != nil, "the attacca binary was not found next to the tests"))
struct LatencyCommandTests {
    /// A private runtime directory (0700, this user's) for one test.
    static func withRuntimeDirectory(_ body: ([String: String]) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-runtime-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(["XDG_RUNTIME_DIR": directory])
    }

    @Test(arguments: ["lowest", "constant"])
    func playWithLatencyEndsWithTheReadoutOfItsNotes(mode: String) throws {
        try Self.withRuntimeDirectory { environment in
            let files = try TestFiles()
            defer { files.remove() }
            let midi = try files.write(TestFiles.organChord, to: "chord.mid")
            let result = try CommandRunner.run(["play", "--device", "null", "--latency", "--latency-mode", mode, midi]
                + PlayCommandTests.fontArguments, environment: environment)
            #expect(result.status == 0, "\(result.standardError)")
            let lines = result.errorLines
            // The chord's two note-ons, measured; the final readout names the mode and the floor.
            #expect(lines.contains { $0.hasSuffix("(period 1.33 ms, floor 2.67 ms), mode \(mode)") })
            let notes = try #require(lines.last { $0.hasPrefix("notes ") })
            #expect(notes.hasPrefix("notes 2 "))
            #expect(lines.contains { $0.hasPrefix("total ms: min ") && $0.contains(" jitter (p99-p1) ") })
            #expect(lines.contains { $0.hasPrefix("stages, mean ms: input wait ") })
            // No status line (the exit report's "voices sounding at stop" is not one).
            #expect(!lines.contains { $0.hasPrefix("voices ") && !$0.hasPrefix("voices sounding at stop: ") })
            #expect(lines.last?.hasPrefix("xruns: ") == true)
        }
    }

    @Test func latencyReadsTheRunningPlayerAsTextJSONAndSVG() throws {
        try Self.withRuntimeDirectory { environment in
            let file = PlayCommandTests.examples.appendingPathComponent("scale.mid").path
            try #require(FileManager.default.fileExists(atPath: file))
            let run = try SignalledRun(["play", "--device", "null", "--period", "32", "--latency-mode", "constant", file]
                + PlayCommandTests.fontArguments, environment: environment)
            defer { run.send(SIGINT); _ = run.wait() }
            try run.waitForStandardError(containing: "soundfont:")
            // Poll (bounded) until the player has measured a note.
            var report: LatencyReport?
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let result = try CommandRunner.run(["latency", "--json"], environment: environment)
                if result.status == 0, let decoded = try? JSONDecoder().decode(LatencyReport.self, from: Data(result.standardOutput.utf8)),
                   decoded.notes > 0 {
                    report = decoded
                    break
                }
                usleep(100_000)
            }
            let measured = try #require(report)
            #expect(measured.setup.periodSize == 32)
            #expect(measured.setup.periodCount == 2)
            #expect(measured.setup.mode == "constant")
            #expect(measured.setup.device == "null")
            #expect(abs(measured.floorMilliseconds - 64.0 / 48) < 1e-9)
            let total = try #require(measured.total)
            #expect(total.minimum > 0 && total.minimum <= total.p50 && total.p50 <= total.maximum)
            #expect(measured.stages.count == 4)

            let files = try TestFiles()
            defer { files.remove() }
            let svg = files.path("latency.svg")
            let plain = try CommandRunner.run(["latency", "--plot", svg], environment: environment)
            #expect(plain.status == 0, "\(plain.standardError)")
            // Not a terminal: plain lines, printed once, no escape codes.
            #expect(plain.standardOutput.contains("\ntotal ms: min "))
            #expect(!plain.standardOutput.contains("\u{1B}"))
            let picture = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(picture.hasPrefix("<svg") && picture.contains("class=\"bar\""))
        }
    }

    @Test func latencyWithoutAPlayerIsOneLineAndNonZero() throws {
        try Self.withRuntimeDirectory { environment in
            let result = try CommandRunner.run(["latency"], environment: environment)
            #expect(result.status == 1)
            #expect(result.errorLines.count == 1)
            #expect(result.errorLines.first?.hasPrefix("attacca: error: no 'attacca play' is running for this user") == true)
        }
    }

    @Test(arguments: [["latency", "--interval", "0"], ["latency", "--plot", ""], ["play", "--latency-mode", "fast"], ["play", "--render-lead", "fast"], ["play", "--render-lead", "-5"]])
    func absurdOptionsAreUsageErrors(options: [String]) throws {
        let result = try CommandRunner.run(options)
        #expect(result.status == 64)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("attacca: error:") == true)
    }
}
