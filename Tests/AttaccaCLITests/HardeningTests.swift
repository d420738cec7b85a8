import AttaccaAudioFile
import Foundation
import Testing

/// Issue 17 (red team, round 2): the classes of failure found in render, info and play, each
/// with a case of our own. Broken SoundFonts of the new kinds also go through
/// `BadInputTests.brokenSoundFont` (CorruptFiles.SoundFontCase).
@Suite(.enabled(if: CommandRunner.executable != nil, "the attacca binary was not found next to the tests"))
struct HardeningTests {
    static let font = CorruptFiles.goodSoundFont
    static let offsetGenerators: [UInt16] = [0, 1, 2, 3, 4, 12, 45, 50]

    /// Attacca.sf2 with every instrument generator other than keyRange, velRange, sampleModes and
    /// sampleID turned into `op` = `amount`.
    static func fontWithEveryGenerator(_ op: UInt16, _ amount: Int16) throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: font)))
        let igen = try CorruptFiles.find("igen", in: bytes)
        let size = Int(bytes[igen + 4]) | Int(bytes[igen + 5]) << 8 | Int(bytes[igen + 6]) << 16
        var replaced = 0
        for record in stride(from: igen + 8, to: igen + 8 + size - 4, by: 4) {
            let current = Int(bytes[record]) | Int(bytes[record + 1]) << 8
            guard ![43, 44, 53, 54].contains(current) else { continue }
            bytes[record] = UInt8(op & 0xFF)
            bytes[record + 1] = UInt8(op >> 8)
            bytes[record + 2] = UInt8(UInt16(bitPattern: amount) & 0xFF)
            bytes[record + 3] = UInt8(UInt16(bitPattern: amount) >> 8)
            replaced += 1
        }
        #expect(replaced > 10)
        return bytes
    }

    /// Class 1: offsets moving a loop start past its loop end, start past end, anything past
    /// the data: render (both engines) and play clamp and finish, with a file.
    @Test(arguments: HardeningTests.offsetGenerators)
    func offsetGeneratorsAtExtremesPlay(op: UInt16) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        for amount in [Int16.max, Int16.min] {
            let soundFont = try files.write(try Self.fontWithEveryGenerator(op, amount), to: "offsets.sf2")
            for engine in ["native", "fluidsynth"] {
                let out = files.path("out-\(engine).wav")
                let result = try CommandRunner.run(["render", midi, "-o", out, "-s", soundFont, "--engine", engine, "--tail", "0.2"])
                #expect(result.status == 0, "generator \(op) = \(amount), \(engine): \(result.standardError)")
                #expect(FileManager.default.fileExists(atPath: out))
            }
            let play = try CommandRunner.run(["play", "--device", "null", "--quiet", "-s", soundFont, midi])
            #expect(play.status == 0, "play, generator \(op) = \(amount): \(play.standardError)")
        }
        #expect(!files.entries.contains { $0.hasSuffix(".partial") })
    }

    /// Class 2: a 10 KB font whose zones multiply into 180 000 regions is refused at once, by
    /// both engines (FluidSynth hung on it), naming the limit; `info` still describes it.
    @Test func zonesMultiplyingAreRefusedQuickly() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let soundFont = try files.write(CorruptFiles.multiplyingZones(presetZones: 600, instrumentZones: 300), to: "many.sf2")
        for engine in ["native", "fluidsynth"] {
            let start = Date()
            let result = try CommandRunner.run(["render", midi, "-o", files.path("out.wav"), "-s", soundFont, "--engine", engine])
            #expect(result.status == 1)
            #expect(result.errorLines.last?.contains("many.sf2") == true, "\(result.standardError)")
            #expect(result.errorLines.last?.contains("180000 times, more than the 32768 regions") == true, "\(result.standardError)")
            #expect(Date().timeIntervalSince(start) < 20)
        }
        let info = try CommandRunner.run(["info", soundFont])
        #expect(info.status == 0, "\(info.standardError)")
        // Below the limit the same shape plays.
        let fewer = try files.write(CorruptFiles.multiplyingZones(presetZones: 40, instrumentZones: 300), to: "fewer.sf2")
        let result = try CommandRunner.run(["render", midi, "-o", files.path("out.wav"), "-s", fewer, "--tail", "0"])
        #expect(result.status == 0, "\(result.standardError)")
    }

    /// Class 3: a FIFO as SoundFont is refused at once (open blocked for ever), by every command.
    @Test(arguments: ["info", "render", "render-fluidsynth", "play"])
    func fifoSoundFontIsRefused(command: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let fifo = try CorruptFiles.write(.fifo, into: files)
        let arguments: [String] = switch command {
        case "info": ["info", fifo]
        case "render": ["render", midi, "-o", files.path("out.wav"), "-s", fifo]
        case "render-fluidsynth": ["render", midi, "-o", files.path("out.wav"), "-s", fifo, "--engine", "fluidsynth"]
        default: ["play", "--device", "null", "--quiet", "-s", fifo, midi]
        }
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 1)
        #expect(result.errorLines.last == "attacca: error: cannot read SoundFont file \(fifo): not a regular file")
    }

    /// Class 3: a MIDI file from a pipe whose writer is slow (EAGAIN on the first read) renders.
    @Test func midiFromASlowPipeRenders() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let out = files.path("out.wav")
        let result = try CommandRunner.runShell("(sleep 0.5; cat '\(midi)') | \"$0\" render /dev/stdin -o '\(out)' -s '\(Self.font)' --tail 0")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("rendered \(out): 1.00 s"))
    }

    /// Class 4: HUP, PIPE and QUIT stop a render like INT and TERM: no `.partial` left behind.
    @Test(arguments: [SIGHUP, SIGPIPE, SIGQUIT, SIGTERM])
    func stopSignalsLeaveNoFile(signal: Int32) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.longNote(seconds: 3600), to: "hour.mid")
        let run = try SignalledRun(["render", midi, "-o", files.path("hour.flac"), "-s", Self.font, "--tail", "0"])
        while run.process.isRunning && !files.entries.contains(where: { $0.hasPrefix(".hour.flac.") }) {
            usleep(10_000)
        }
        usleep(200_000)
        run.send(signal)
        let status = run.wait()
        #expect(status == 128 + signal, "\(run.standardError)")
        #expect(run.standardError.hasSuffix("attacca: error: interrupted; nothing was written to '\(files.path("hour.flac"))'\n"))
        #expect(files.entries == ["hour.mid"])
    }

    /// Class 5: with stderr closed, the temporary file must not become descriptor 2: the WAV
    /// holds only audio (before, the "soundfont:" line went into its data).
    @Test func closedStandardErrorKeepsTheAudioClean() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let out = files.path("out.wav")
        let result = try CommandRunner.runShell("exec \"$0\" render '\(midi)' -o '\(out)' -s '\(Self.font)' --tail 0 2>&-")
        #expect(result.status == 0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(Data(bytes).range(of: Data("soundfont".utf8)) == nil)
        #expect(bytes.count == 44 + 48000 * 4, "1.00 s of 16-bit stereo and the header, nothing else")
        let reader = try AudioFileReader(path: out)
        #expect(reader.frameCount == 48000)
    }

    /// Class 6: FLAC has no 4 GiB limit, so a few bytes asking for 10^5 hours rendered for ever:
    /// every format is capped by --max-seconds (24 h), with the way to raise it said.
    @Test(arguments: ["flac", "wav"])
    func eonsAreRefusedForEveryFormat(format: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(CorruptFiles.eons(notes: 1), to: "eons.mid")
        let result = try CommandRunner.run(["render", midi, "-o", files.path("out.\(format)"), "-s", Self.font])
        #expect(result.status == 1)
        let line = result.errorLines.last ?? ""
        #expect(line.contains("--max-seconds") || (format == "wav" && line.contains("4 GiB")), "\(line)")
        #expect(files.entries == ["eons.mid"])
        // A shorter cap refuses a file that fits WAV.
        let short = try CommandRunner.run(["render", try files.write(TestFiles.organChord, to: "chord.mid"),
                                           "-o", files.path("out.\(format)"), "-s", Self.font, "--max-seconds", "2.5"])
        #expect(short.status == 1)
        #expect(short.errorLines.last?.contains("raise --max-seconds") == true, "\(short.standardError)")
    }

    /// Class 7: the SoundFont truncated while a render plays it: what was cut off plays as
    /// silence (the mapping raised SIGBUS and killed the process, leaving the `.partial`).
    @Test func soundFontTruncatedDuringARenderIsSurvived() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.longNote(seconds: 20), to: "long.mid")
        let soundFont = try files.write([UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.font))), to: "font.sf2")
        let out = files.path("out.flac")
        let run = try SignalledRun(["render", midi, "-o", out, "-s", soundFont, "--tail", "0"])
        try run.waitForStandardError(containing: "soundfont:")
        #expect(truncate(soundFont, 4096) == 0)
        #expect(run.wait() == 0, "\(run.standardError)")
        #expect(FileManager.default.fileExists(atPath: out))
    }

    /// Class 9: an output name of 254 bytes (NAME_MAX 255) renders; the temporary name is shortened.
    @Test func longOutputNameRenders() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let name = String(repeating: "é", count: 100) + String(repeating: "x", count: 50) + ".wav"  // 254 bytes
        #expect(name.utf8.count == 254)
        let result = try CommandRunner.run(["render", midi, "-o", files.path(name), "-s", Self.font, "--tail", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(files.entries.sorted() == ["chord.mid", name].sorted())
    }

    /// Class 13: control characters in names reach the terminal escaped, in text and JSON.
    @Test func infoEscapesControlCharacters() throws {
        let files = try TestFiles()
        defer { files.remove() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.font)))
        let phdr = try CorruptFiles.find("phdr", in: bytes) + 8
        // The first preset's name: ESC [ 2 J (clear screen), a C1 CSI, a newline.
        let hostile: [UInt8] = [0x1B, 0x5B, 0x32, 0x4A, 0xC2, 0x9B, 0x48, 0x0A, 0x7F, 0x41]
        bytes.replaceSubrange(phdr..<phdr + hostile.count, with: hostile)
        let soundFont = try files.write(bytes, to: "hostile.sf2")
        for json in [false, true] {
            let result = try CommandRunner.run(["info", soundFont] + (json ? ["--json"] : []))
            #expect(result.status == 0, "\(result.standardError)")
            let raw = result.standardOutput.unicodeScalars
            #expect(!raw.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x7F }, "json \(json)")
            if json {
                #expect(result.standardOutput.contains(#"\u001b[2J\u009bH\n\u007fA"#), "\(result.standardOutput)")
                let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
                let presets = object?["presets"] as? [[String: Any]]
                #expect(presets?.contains { ($0["name"] as? String)?.hasPrefix("\u{1B}[2J") == true } == true)
            } else {
                #expect(result.standardOutput.contains(#"\u{1B}[2J\u{9B}H\u{A}\u{7F}A"#), "\(result.standardOutput)")
            }
        }
    }
}
