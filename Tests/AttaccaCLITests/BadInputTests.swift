import Foundation
import Testing

/// Hardening (issue 6): broken files, absurd options, unreadable files and a full disk given to
/// `render`, `info` and `play` (on the null PCM). Every one must end in exactly one line
/// `attacca: error: …` (the last on stderr), a non-zero status, and no file left behind.
@Suite(.enabled(if: CommandRunner.executable != nil, "the attacca binary was not found next to the tests"))
struct BadInputTests {
    static let font = CorruptFiles.goodSoundFont

    /// The commands a broken SoundFont is given to.
    static let soundFontCommands = ["info", "render", "render-fluidsynth", "play"]

    func expectOneLineFailure(_ result: CommandRunner.Output, status: Int32 = 1, files: TestFiles, before: [String],
                              _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(what): \(result.standardError)", sourceLocation: sourceLocation)
        let errors = result.errorLines.filter { $0.hasPrefix("attacca: error: ") || $0.hasPrefix("Error: ") }
        #expect(errors.count == 1, "\(what): \(result.standardError)", sourceLocation: sourceLocation)
        #expect(result.errorLines.last.map { errors.contains($0) } == true, "\(what): the error is not the last line",
                sourceLocation: sourceLocation)
        #expect(!result.errorLines.contains { $0.hasPrefix("xruns: ") }, "\(what)", sourceLocation: sourceLocation)
        #expect(files.entries == before, "\(what): files left behind", sourceLocation: sourceLocation)
    }

    func arguments(_ command: String, soundFont: String, midi: String, output: String) -> [String] {
        switch command {
        case "info": ["info", soundFont]
        case "render": ["render", midi, "-o", output, "-s", soundFont]
        case "render-fluidsynth": ["render", midi, "-o", output, "-s", soundFont, "--engine", "fluidsynth"]
        default: ["play", "--device", "null", "--quiet", "-s", soundFont, midi]
        }
    }

    @Test(arguments: CorruptFiles.SoundFontCase.allCases, BadInputTests.soundFontCommands)
    func brokenSoundFont(kind: CorruptFiles.SoundFontCase, command: String) throws {
        // FluidSynth would clamp sample points into the data and play: the native reader judges
        // the file first for both engines (issue 17, class 11).
        // `info` only describes a font: one whose zones multiply past the region limit is shown.
        if kind == .zonesMultiplying && command == "info" { return }
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let soundFont = try CorruptFiles.write(kind, into: files)
        let before = files.entries
        let result = try CommandRunner.run(arguments(command, soundFont: soundFont, midi: midi, output: files.path("out.wav")))
        expectOneLineFailure(result, files: files, before: before, "\(kind) SoundFont to \(command)")
        #expect(result.errorLines.last?.contains(soundFont.split(separator: "/").last.map(String.init) ?? "?") == true,
                "the line names the file: \(result.standardError)")
    }

    @Test(arguments: CorruptFiles.MidiCase.allCases, ["render", "play"])
    func brokenMidiFile(kind: CorruptFiles.MidiCase, command: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try CorruptFiles.write(kind, into: files)
        let before = files.entries
        let result = try CommandRunner.run(arguments(command, soundFont: Self.font, midi: midi, output: files.path("out.wav")))
        expectOneLineFailure(result, files: files, before: before, "\(kind) MIDI file to \(command)")
        #expect(result.errorLines.last?.contains(midi.split(separator: "/").last.map(String.init) ?? "?") == true,
                "the line names the file: \(result.standardError)")
    }

    /// A header declaring more tracks than the file holds is accepted with the tracks it has
    /// (as FluidSynth does), not refused.
    @Test func missingTracksAreNotAnError() throws {
        let files = try TestFiles()
        defer { files.remove() }
        var bytes = TestFiles.organChord
        bytes[11] = 3
        let midi = try files.write(bytes, to: "three-tracks.mid")
        let result = try CommandRunner.run(["render", midi, "-o", files.path("out.wav"), "-s", Self.font, "--tail", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("rendered \(files.path("out.wav")): 1.00 s"))
    }

    /// A file lasting longer than a WAV file can hold is refused before anything is written
    /// (it would have filled the disk for hours first).
    @Test(arguments: [3, 12_000])
    func midiFileLastingEonsIsRefusedForWAV(notes: Int) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(CorruptFiles.eons(notes: notes), to: "eons.mid")
        let before = files.entries
        let result = try CommandRunner.run(["render", midi, "-o", files.path("out.wav"), "-s", Self.font])
        expectOneLineFailure(result, files: files, before: before, "render of a file lasting eons")
        #expect(result.errorLines.last?.contains("more than the 4 GiB a WAV file can hold (6.2 hours); render it to FLAC") == true,
                "\(result.standardError)")
    }

    /// `play` took such times to Int64 nanoseconds and crashed; it must wait (for Ctrl-C).
    @Test(arguments: [3, 12_000])
    func midiFileLastingEonsPlaysUntilInterrupted(notes: Int) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(CorruptFiles.eons(notes: notes), to: "eons.mid")
        let run = try SignalledRun(["play", "--device", "null", "-s", Self.font, midi])
        try run.waitForStandardError(containing: "soundfont:")
        usleep(200_000)
        run.send(SIGINT)
        #expect(run.wait() == 0, "\(run.standardError)")
        #expect(run.standardError.contains("events: 0 received, 0 dropped\nvoices sounding at stop: 0\nxruns: "), "\(run.standardError)")
    }

    static let absurdRenderOptions: [[String]] = [
        ["--rate", "1"], ["--rate", "0"], ["--polyphony", "0"], ["--polyphony", "5000"], ["--gain=-1"], ["--gain", "-1"],
        ["--gain", "nan"], ["--engine", "timidity"], ["--format", "ogg"], ["--bit-depth", "8"], ["--tail", "nan"],
        ["--tail", "61"], ["--bank-select", "roland"], ["--rate", "-1"], ["--tail", "-1"], ["--polyphony", "-5"], ["--bit-depth", "-16"],
        ["--rate", "192000", "--engine", "fluidsynth"], ["--max-seconds", "0"], ["--max-seconds", "-1"],
    ]

    @Test(arguments: BadInputTests.absurdRenderOptions)
    func absurdRenderOptionIsAUsageError(options: [String]) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let before = files.entries
        let result = try CommandRunner.run(["render", midi, "-o", files.path("out.wav"), "-s", Self.font] + options)
        expectOneLineFailure(result, status: 64, files: files, before: before, "render \(options)")
        // The line says what is wrong with the value (a negative number is a value, not an option).
        #expect(!result.standardError.contains("Missing value"), "render \(options): \(result.standardError)")
    }

    static let absurdPlayOptions: [[String]] = [
        ["--period", "0"], ["--period", "-64"], ["--period", "100000"], ["--periods", "1"], ["--periods", "0"],
        ["--periods", "65"], ["--rate", "1"], ["--polyphony", "0"], ["--gain=-1"], ["--engine", "timidity"],
        ["--format", "ogg"], ["--priority", "100"], ["--rate", "-1"], ["--gain", "-1"], ["--priority", "-1"],
        ["--rate", "192000", "--engine", "fluidsynth"],
    ]

    @Test(arguments: BadInputTests.absurdPlayOptions)
    func absurdPlayOptionIsAUsageError(options: [String]) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let before = files.entries
        let result = try CommandRunner.run(["play", "--device", "null", "-s", Self.font, midi] + options)
        expectOneLineFailure(result, status: 64, files: files, before: before, "play \(options)")
    }

    /// Root reads any file whatever its mode, so these run as `nobody`: a mode-0000 SoundFont or
    /// MIDI file is one line naming the file and the reason.
    @Test(.enabled(if: CommandRunner.canRunAsNobody, "setpriv cannot run a program as nobody here"),
          arguments: ["info", "render", "render-fluidsynth", "play", "render-midi", "play-midi"])
    func unreadableFileAsNobody(command: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        // nobody may create the output (and its temporary file) in the folder, but not read the inputs.
        chmod(files.folder.path, 0o777)
        let good = try files.write(TestFiles.organChord, to: "chord.mid")
        let lockedMidi = try files.write(TestFiles.organChord, to: "locked.mid")
        let lockedFont = try files.write([UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.font))), to: "locked.sf2")
        chmod(lockedMidi, 0)
        chmod(lockedFont, 0)
        let arguments: [String] = switch command {
        case "render-midi": ["render", lockedMidi, "-o", files.path("out.wav"), "-s", Self.font]
        case "play-midi": ["play", "--device", "null", "--quiet", "-s", Self.font, lockedMidi]
        default: self.arguments(command, soundFont: lockedFont, midi: good, output: files.path("out.wav"))
        }
        let before = files.entries
        let result = try CommandRunner.run(arguments, asNobody: true)
        expectOneLineFailure(result, files: files, before: before, "\(command) as nobody")
        #expect(result.errorLines.last?.contains("locked.") == true && result.errorLines.last?.contains("ermission denied") == true,
                "\(result.standardError)")
    }

    /// Whether a tmpfs can be mounted here (root outside a locked-down container).
    static let canMountTmpfs: Bool = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-mount-probe-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: folder) }
        guard Self.shell("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", folder.path]) == 0 else { return false }
        return Self.shell("/bin/umount", [folder.path]) == 0
    }()

    @discardableResult
    static func shell(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A disk that fills up part-way (a 32 KB tmpfs): one line, exit 1, and the folder on that
    /// disk empty, neither the output nor its temporary file. (`failedWriteLeavesNoFile` in
    /// RenderCommandTests does the same with a file size limit.)
    @Test(.enabled(if: BadInputTests.canMountTmpfs, "cannot mount a tmpfs here"),
          arguments: ["native", "fluidsynth"], ["wav", "flac"])
    func fullDiskLeavesNoFile(engine: String, format: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.longNote(seconds: 10), to: "long.mid")
        let disk = files.folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: false)
        try #require(Self.shell("/bin/mount", ["-t", "tmpfs", "-o", "size=32k", "tmpfs", disk.path]) == 0)
        defer { Self.shell("/bin/umount", [disk.path]) }
        let out = disk.appendingPathComponent("long.\(format)").path
        let result = try CommandRunner.run(["render", midi, "-o", out, "-s", Self.font, "--engine", engine, "--tail", "0"])
        #expect(result.status == 1)
        #expect(result.errorLines.last == "attacca: error: writing '\(out)' failed: No space left on device", "\(result.standardError)")
        #expect(result.errorLines.filter { $0.hasPrefix("attacca: error:") }.count == 1)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: disk.path)) == [])
    }

    /// A device that fails while playing, end to end: ALSA's `file` PCM writing into a full
    /// 64 KB tmpfs fails with -EIO (not an xrun). The player says so once, closes the device,
    /// reopens it (the plugin truncates the file: room again) and plays on; Ctrl-C then ends it
    /// with status 0 and the usual report.
    @Test(.enabled(if: BadInputTests.canMountTmpfs, "cannot mount a tmpfs here"))
    func deviceThatFailsIsReopenedAndPlaysOn() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.longNote(seconds: 600), to: "long.mid")
        let disk = files.folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: false)
        try #require(Self.shell("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.path]) == 0)
        defer { Self.shell("/bin/umount", [disk.path]) }
        let device = "file:FILE=\(disk.path)/out.raw,FORMAT=raw"
        let run = try SignalledRun(["play", "--device", device, "-s", Self.font, midi])
        try run.waitForStandardError(containing: "is back after")
        run.send(SIGINT)
        #expect(run.wait() == 0, "\(run.standardError)")
        let lines = run.standardError.split(separator: "\n").filter { !$0.hasPrefix("voices ") || $0.hasPrefix("voices sounding") }
        let failed = "attacca: warning: PCM device '\(device)' failed: Input/output error (-5); closed it, "
            + "trying to reopen it every 0.5 s (Ctrl-C to stop)"
        let lost = try #require(lines.firstIndex { $0 == failed }, "\(run.standardError)")
        let back = try #require(lines.firstIndex { $0.hasPrefix("attacca: PCM device '\(device)' is back after ") })
        #expect(lost < back)
        #expect(lines[back].hasSuffix(" (1 attempt); playing on, all notes off"))
        #expect(!lines.contains { $0.hasPrefix("attacca: error") })
        #expect(lines.last?.hasPrefix("xruns: ") == true)
        #expect(lines.dropLast().last?.hasPrefix("voices sounding at stop: ") == true)
        #expect(lines.dropLast(2).last?.hasPrefix("events: ") == true)
    }

    /// The finished file is renamed over the output: an existing pipe (or, as root, /dev/null)
    /// must not be replaced by a regular file.
    @Test func outputThatIsNotARegularFileIsRefused() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let fifo = files.path("pipe.wav")
        try #require(mkfifo(fifo, 0o644) == 0)
        let before = files.entries
        let result = try CommandRunner.run(["render", midi, "-o", fifo, "-s", Self.font])
        expectOneLineFailure(result, files: files, before: before, "render into a FIFO")
        #expect(result.errorLines.last == "attacca: error: cannot create '\(fifo)': it exists and is not a regular file (a device, pipe or socket)")
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    /// An output that is a symbolic link: the file it points to is replaced, the link stays.
    @Test func outputThroughASymbolicLinkKeepsTheLink() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let target = try files.write(Array("old".utf8), to: "target.wav")
        let link = files.path("link.wav")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try CommandRunner.run(["render", midi, "-o", link, "-s", Self.font, "--tail", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect((try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int ?? 0) > 48000 * 4)
        #expect(files.entries == ["chord.mid", "link.wav", "target.wav"])
    }
}
