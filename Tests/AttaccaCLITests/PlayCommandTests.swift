import Foundation
import Testing

/// `attacca play` against alsa-lib's `null` PCM (no sound card needed; `PCM` paces it like a
/// card), and its one-line failures.
@Suite(.enabled(if: CommandRunner.executable != nil, "the attacca binary was not found next to the tests"))
struct PlayCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples")
    /// A small GM font when installed keeps start-up short; else the default choice.
    static let fontArguments = TestFiles.hasTimGM ? ["-s", TestFiles.timGM] : []

    @Test func playsAFileThroughTheNullDeviceAndStopsAtItsEnd() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let result = try CommandRunner.run(["play", "--device", "null", "--period", "64", midi] + Self.fontArguments)
        #expect(result.status == 0, "\(result.standardError)")
        // One second of music at 48 kHz in 64-frame periods is 750 periods, before the tail.
        let summary = try #require(result.errorLines.last { $0.hasPrefix("attacca: stopped after ") })
        let periods = Int(summary.split(separator: " ")[3]) ?? 0
        #expect(periods >= 750)
        // Xruns on a shared machine are not this test's business; the line must be there.
        #expect(result.errorLines.last?.hasPrefix("xruns: ") == true)
        #expect(result.errorLines.contains { $0.hasPrefix("voices ") && $0.contains("DSP") })
    }

    @Test func quietPrintsNoStatus() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let result = try CommandRunner.run(["play", "--device", "null", "--period", "32", "--quiet", midi] + Self.fontArguments)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!result.errorLines.contains { ($0.hasPrefix("voices ") && !$0.hasPrefix("voices sounding at stop: ")) || $0.hasPrefix("attacca: stopped") })
        #expect(result.errorLines.last?.hasPrefix("xruns: ") == true)
    }

    @Test(arguments: [(SIGINT, "native"), (SIGTERM, "native"), (SIGINT, "fluidsynth")])
    func aSignalStopsPlayingCleanly(signal: Int32, engine: String) throws {
        let file = Self.examples.appendingPathComponent("chords-sustain.mid").path
        try #require(FileManager.default.fileExists(atPath: file))
        let run = try SignalledRun(["play", "--device", "null", "--engine", engine, file] + Self.fontArguments)
        // The engine has loaded (it says which SoundFont) and the audio thread runs: interrupt mid-file.
        try run.waitForStandardError(containing: "soundfont:")
        let sent = Date()
        run.send(signal)
        let status = run.wait()
        #expect(status == 0, "\(run.standardError)")
        #expect(Date().timeIntervalSince(sent) < 2)
        #expect(run.standardError.contains("\nxruns: "))
    }

    /// The exit report the VM harness parses: events, voices at the stop, xruns last; with
    /// --quiet too. A file that played out stops with nothing sounding.
    @Test(arguments: [false, true])
    func reportsEventsAndVoicesBeforeXruns(quiet: Bool) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let result = try CommandRunner.run(["play", "--device", "null", midi] + (quiet ? ["--quiet"] : []) + Self.fontArguments)
        #expect(result.status == 0, "\(result.standardError)")
        let report = result.errorLines.suffix(3)
        // Program change, two note-ons, two note-offs.
        #expect(report.first == "events: 5 received, 0 dropped")
        #expect(report.dropFirst().first == "voices sounding at stop: 0")
        #expect(report.last?.hasPrefix("xruns: ") == true)
    }

    /// Ctrl-C while a note sounds: the report says it was sounding (before all notes were
    /// silenced), and exit status 0.
    @Test func voicesSoundingAtAnInterruptAreReported() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.longNote(seconds: 600), to: "long.mid")
        let run = try SignalledRun(["play", "--device", "null", midi] + Self.fontArguments)
        // The status line (once a second) shows the note sounding.
        let deadline = Date().addingTimeInterval(60)
        while !run.standardError.split(separator: "\n").contains(where: { $0.hasPrefix("voices ") && !$0.hasPrefix("voices 0 ") }) {
            try #require(Date() < deadline && run.process.isRunning, "\(run.standardError)")
            usleep(20_000)
        }
        run.send(SIGINT)
        #expect(run.wait() == 0)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.last?.hasPrefix("xruns: ") == true)
        let voices = lines.dropLast().last.flatMap { $0.hasPrefix("voices sounding at stop: ") ? Int($0.split(separator: " ").last!) : nil }
        #expect((voices ?? 0) > 0, "\(run.standardError)")
        #expect(lines.dropLast(2).last?.hasPrefix("events: 2 received, 0 dropped") == true, "program change, note-on, nothing more: \(run.standardError)")
    }

    @Test func missingDeviceIsOneLineAndNonZero() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let result = try CommandRunner.run(["play", "--device", "hw:9,0", midi])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("attacca: error: cannot open PCM device 'hw:9,0'") == true)
    }

    /// No PipeWire daemon where the runtime directory says: one line, non-zero, at once (no wait
    /// for a graph that will never run the node).
    @Test func missingPipeWireDaemonIsOneLineAndNonZero() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-no-pipewire-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let started = Date()
        let result = try CommandRunner.run(["play", "--driver", "pipewire"],
                                           environment: ["PIPEWIRE_RUNTIME_DIR": empty.path, "XDG_RUNTIME_DIR": empty.path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.errorLines.first?.hasPrefix("attacca: error: PipeWire: pw_context_connect:") == true, "\(result.standardError)")
        #expect(Date().timeIntervalSince(started) < 4)
    }

    @Test(arguments: [["--period", "8"], ["--periods", "1"], ["--rate", "100"], ["--format", "U8"], ["--priority", "0"],
                      ["--device", ""], ["--connect", ""], ["--jack-name", "x"], ["--driver", "jack", "--jack-name", ""],
                      ["--driver", "jack", "--jack-name", "a:b"], ["--driver", "jack", "--jack-name", String(repeating: "n", count: 64)],
                      ["--driver", "pipewire", "--pipewire-name", "a:b"], ["--driver", "pipewire", "--device", "hw:0"],
                      ["--driver", "pipewire", "--periods", "3"], ["--driver", "pipewire", "--jack-name", "x"],
                      ["--pipewire-name", "x"], ["--pipewire-link", "x"], ["--driver", "pipewire", "--pipewire-link", ""]])
    func absurdOptionsAreUsageErrors(options: [String]) throws {
        let result = try CommandRunner.run(["play"] + options)
        #expect(result.status == 64)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("attacca: error:") == true)
    }

    @Test func devicesListsTheNullDevice() throws {
        let result = try CommandRunner.run(["devices"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("PCM playback devices"))
        #expect(result.standardOutput.contains("\n  null"))
        #expect(result.standardOutput.contains("MIDI input sources"))
    }
}
