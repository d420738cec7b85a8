import AttaccaAudioFile
import Foundation
import Testing

private let haveBinary = CommandRunner.executable != nil

@Suite(.enabled(if: haveBinary, "the attacca binary was not found next to the tests"))
struct RenderCommandTests {
    /// Arguments ("MIDI" stands for a valid MIDI file, "OUT" for the test's folder) and the exit status.
    static let badInputs: [([String], Int32)] = [
        (["render", "/nonexistent/song.mid", "-o", "OUT/x.wav"], 1),
        (["render", "MIDI", "-o", "OUT/x.wav", "-s", "OUT/corrupt.sf2"], 1),
        (["render", "MIDI", "-o", "OUT/x.wav", "-s", "OUT/corrupt.sf2", "--engine", "fluidsynth"], 1),
        (["render", "MIDI", "-o", "OUT/x.wav", "-s", "/nonexistent/font.sf2", "--engine", "fluidsynth"], 1),
        (["render", "MIDI", "-o", "OUT/x.wav", "--rate", "100"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--rate", "fast"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--engine", "timidity"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--gain", "11"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--polyphony", "0"], 64),
        (["render", "MIDI", "-o", "OUT/x.mp3"], 64),
        (["render", "MIDI", "-o", "OUT/x.flac", "--bit-depth", "32"], 64),
        (["render", "MIDI"], 64),
        (["render", "MIDI", "-o", "/nonexistent/folder/x.wav"], 1),
        (["render", "MIDI", "-o", "OUT"], 64),
        (["render", "MIDI", "-o", "OUT", "--format", "wav"], 1),
        (["render", "OUT/corrupt.mid", "-o", "OUT/x.wav"], 1),
        (["render", "OUT/corrupt.sf2", "-o", "OUT/x.wav"], 1),
        (["info", "OUT/corrupt.sf2"], 1),
        (["info", "/nonexistent/font.sf2"], 1),
        (["info"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "-s", ""], 64),
        (["render", "MIDI", "-o", ""], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--tail=-1"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--reverb", "maybe"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--chorus", "1"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--reverb-room", "1.5"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--reverb-damp=-0.1"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--reverb-width", "101"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--reverb-level", "nan"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--chorus-nr", "100"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--chorus-level", "11"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--chorus-speed", "0"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--chorus-depth", "41"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--rate", "192000", "--engine", "fluidsynth"], 64),  // a usage error (issue 17): FluidSynth stops at 96 kHz
        (["render", "OUT", "-o", "OUT/x.wav"], 1),
        (["render", "MIDI", "-o", "OUT/x.wav", "-s", "OUT", "--engine", "fluidsynth"], 1),
        (["render", "MIDI", "-o", "OUT/x.wav", "-s", "OUT/corrupt.mid"], 1),
        (["render", "MIDI", "-o", "OUT/x.wav", "--limiter", "maybe"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--dither", "yes"], 64),
        (["render", "MIDI", "-o", "OUT/x.wav", "--interpolation", "gauss"], 64),
        (["frobnicate"], 64),
    ]

    /// Root-mean-square level of `samples`.
    private func rms(_ samples: ArraySlice<Float>) -> Float {
        (samples.reduce(0) { $0 + $1 * $1 } / Float(max(samples.count, 1))).squareRoot()
    }

    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: ["native", "fluidsynth"])
    func rendersTheWholeFileAtTheRequestedRate(engine: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let out = files.path("chord.wav")
        let result = try CommandRunner.run(["render", midi, "-o", out, "--engine", engine, "-s", TestFiles.timGM,
                                            "--rate", "22050", "--tail", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("rendered \(out): 1.00 s, 22050 Hz, peak "))
        #expect(result.errorLines == ["soundfont: \(TestFiles.timGM)"])

        let audio = try AudioFileReader(path: out)
        #expect(audio.sampleRate == 22050)
        #expect(audio.channels.count == 2)
        #expect(audio.frameCount == 22050)  // End of Track at exactly 1.0 s, no tail
        #expect(audio.format == .wav && audio.sampleFormat == .int16)
        // The organ sounds from the start to the end.
        #expect(rms(audio.channels[0][2205..<4410]) > 0.01)
        #expect(rms(audio.channels[1][19845..<22050]) > 0.01)
        #expect(files.entries == ["chord.mid", "chord.wav"])
    }

    /// Two channels on banks 1 and 9 (bank select MSB): with `-s TimGM6mb.sf2 -s FluidR3Mono_GM.sf3@1`
    /// they play FluidR3Mono's bank 0 program 19 and bank 8 program 4 (its banks moved up by 1).
    static let bankedChords: [UInt8] = [
        0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0,
        0x4D, 0x54, 0x72, 0x6B, 0, 0, 0, 35,
        0x00, 0xB0, 0, 1, 0x00, 0xC0, 19,
        0x00, 0xB1, 0, 9, 0x00, 0xC1, 4,
        0x00, 0x90, 60, 100,
        0x00, 0x91, 64, 100,
        0x87, 0x40, 0x80, 60, 0,
        0x00, 0x81, 64, 0,
        0x00, 0xFF, 0x2F, 0x00,
    ]

    /// An SF3 render decodes only what the file's programs reach (the default) and writes the
    /// same file, byte for byte, as with every sample decoded: alone, and in a stack with a bank
    /// offset under an SF2.
    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3") && TestFiles.hasTimGM,
                   "fluidr3mono-gm-soundfont or timgm6mb-soundfont is not installed"),
          arguments: [false, true])
    func sf3RenderOfReachableSamplesIsTheWholeFontsRender(stacked: Bool) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let sf3 = "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3"
        let midi = try files.write(stacked ? Self.bankedChords : TestFiles.organChord, to: "chord.mid")
        let fonts = stacked ? ["-s", TestFiles.timGM, "-s", sf3 + "@1"] : ["-s", sf3]
        var outputs: [[Float]] = []
        for mode in ["reachable", "all"] {
            let out = files.path("chord-\(mode).wav")
            let result = try CommandRunner.run(["render", midi, "-o", out, "--rate", "22050", "--tail", "0", "--sf3-samples", mode] + fonts)
            #expect(result.status == 0, "\(result.standardError)")
            outputs += try AudioFileReader(path: out).channels
        }
        #expect(outputs.count == 4 && outputs[0] == outputs[2] && outputs[1] == outputs[3])
        #expect(rms(outputs[0][2205..<4410]) > 0.01)
    }

    /// An organ chord at gain 10 peaks far above 0 dBFS: with the limiter (the default) no sample
    /// of the float file reaches full scale, without it thousands do.
    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: ["native", "fluidsynth"])
    func limiterKeepsALoudRenderBelowFullScale(engine: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        var overFullScale: [Int] = []
        for limiter in ["on", "off"] {
            let out = files.path("chord-\(limiter).wav")
            let result = try CommandRunner.run(["render", midi, "-o", out, "--engine", engine, "-s", TestFiles.timGM,
                                                "-g", "10", "--bit-depth", "32", "--tail", "0", "--limiter", limiter])
            #expect(result.status == 0, "\(result.standardError)")
            let audio = try AudioFileReader(path: out)
            overFullScale.append(audio.channels.reduce(0) { $0 + $1.count { abs($0) >= 1 } })
            if limiter == "on" { #expect(audio.channels.allSatisfy { $0.allSatisfy { abs($0) < 0.99 } }) }
        }
        #expect(overFullScale[0] == 0 && overFullScale[1] > 1000, "samples at full scale: \(overFullScale)")
    }

    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: ["native", "fluidsynth"])
    func tailStopsWhenVoicesEnd(engine: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let out = files.path("chord.flac")
        let result = try CommandRunner.run(["render", midi, "-F", out, "--engine", engine, "-s", TestFiles.timGM,
                                            "--tail", "30"])
        #expect(result.status == 0, "\(result.standardError)")
        let audio = try AudioFileReader(path: out)
        #expect(audio.format == .flac)
        #expect(audio.sampleRate == 48000)
        // One second of music, then the release, far shorter than the 30 s allowed.
        #expect(audio.frameCount > 48000)
        #expect(audio.frameCount < 48000 * 10)
        #expect(rms(audio.channels[0][(audio.frameCount - 480)...]) < 0.001)
    }

    /// libfluidsynth is opened at run time, for `--engine fluidsynth` only: `attacca` does not link
    /// it, so the native engine starts without FluidSynth's ~60 libraries. The FluidSynth engine
    /// still renders (it is exercised by every other fluidsynth test too).
    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"))
    func fluidSynthIsOpenedOnlyWhenChosen() throws {
        let needed = try CommandRunner.runShell("readelf -d \"$0\" | grep NEEDED")
        #expect(needed.status == 0)
        #expect(needed.standardOutput.contains("libswiftCore"))
        #expect(!needed.standardOutput.contains("fluidsynth"))
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let result = try CommandRunner.run(["render", midi, "-F", files.path("chord.wav"), "--engine", "fluidsynth",
                                            "-s", TestFiles.timGM])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try AudioFileReader(path: files.path("chord.wav")).frameCount > 48000)
    }

    /// With CC91 at 127 the render goes on after the voices end until the reverb's tail is below
    /// -90 dBFS; --reverb off --chorus off stops with the voices as before.
    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: ["native", "fluidsynth"])
    func reverbTailIsRendered(engine: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        // The organ chord with CC91 = 127 first (4 more bytes in the track).
        var bytes = TestFiles.organChord
        bytes[21] += 4
        bytes.insert(contentsOf: [0x00, 0xB0, 91, 127], at: 22)
        let midi = try files.write(bytes, to: "chord.mid")
        var frames: [String: Int] = [:]
        for effects in ["on", "off"] {
            let out = files.path("chord-\(effects).wav")
            // Without dither: the tail is below -90 dBFS (1.04 LSB) before it, and ±1 LSB of TPDF
            // dither on top may round a point to 2 LSB, past what this measures.
            let result = try CommandRunner.run(["render", midi, "-F", out, "--engine", engine, "-s", TestFiles.timGM,
                                                "--tail", "30", "--reverb", effects, "--chorus", effects, "--dither", "off"])
            #expect(result.status == 0, "\(result.standardError)")
            let audio = try AudioFileReader(path: out)
            frames[effects] = audio.frameCount
            let end = audio.channels[0][(audio.frameCount - 480)...]
            #expect(end.allSatisfy { abs($0) < 3.2e-5 })
        }
        let on = try #require(frames["on"]), off = try #require(frames["off"])
        #expect(on > off + 4800)  // at least 0.1 s of reverb after the last voice
        #expect(on < 48000 * 12)
    }

    /// --gain scales the output linearly with both engines (FluidSynth's synth.gain semantics).
    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: ["native", "fluidsynth"])
    func gainScalesTheOutput(engine: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        var peaks: [Float] = []
        for gain in ["0.25", "0.5", "0"] {
            let out = files.path("gain-\(gain).wav")
            let result = try CommandRunner.run(["render", midi, "-o", out, "--engine", engine, "-s", TestFiles.timGM,
                                                "--gain", gain, "--bit-depth", "32", "--tail", "0"])
            #expect(result.status == 0, "\(result.standardError)")
            let audio = try AudioFileReader(path: out)
            peaks.append(audio.channels.flatMap { $0 }.map(abs).max() ?? 0)
        }
        #expect(peaks[0] > 0.001)
        #expect(abs(peaks[1] / peaks[0] - 2) < 0.01)
        #expect(peaks[2] < 1e-6)  // FluidSynth ramps its gain: a residue near -170 dBFS at gain 0
    }

    @Test func rendersWithTheDefaultSoundFontChoice() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let out = files.path("chord.wav")
        let result = try CommandRunner.run(["render", midi, "-o", out, "--bit-depth", "24", "--tail", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("soundfont: ") == true)
        let audio = try AudioFileReader(path: out)
        #expect(audio.sampleFormat == .int24)
        #expect(audio.frameCount == 48000)
        #expect(rms(audio.channels[0][...]) > 0.001)
    }

    /// Every bad input ends in one line on stderr and a non-zero exit, and leaves no file behind.
    @Test(arguments: RenderCommandTests.badInputs)
    func badInputFailsWithOneLine(arguments: [String], status: Int32) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        _ = try files.write([UInt8]("RIFF\u{10}\0\0\0sfbkLIST not a SoundFont at all".utf8), to: "corrupt.sf2")
        _ = try files.write([0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 1, 0, 0], to: "corrupt.mid")
        let before = files.entries
        let resolved = arguments.map {
            $0 == "MIDI" ? midi : $0.replacingOccurrences(of: "OUT", with: files.folder.path)
        }
        let result = try CommandRunner.run(resolved)
        #expect(result.status == status)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        let line = result.errorLines.first ?? ""
        #expect(line.hasPrefix("attacca: error: ") || line.hasPrefix("Error: "))
        #expect(files.entries == before)
    }

    /// A write that fails part-way (here the file size limit, as a full disk would) is an error,
    /// and neither the output nor its temporary file remains.
    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"),
          arguments: ["native", "fluidsynth"], ["wav", "flac"])
    func failedWriteLeavesNoFile(engine: String, format: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.organChord, to: "chord.mid")
        let out = files.path("chord.\(format)")
        let result = try CommandRunner.run(["render", midi, "-o", out, "-s", TestFiles.timGM, "--engine", engine],
                                           fileSizeLimitBlocks: 40)
        #expect(result.status == 1)
        #expect(result.errorLines.last == "attacca: error: writing '\(out)' failed: File too large")
        #expect(files.entries == ["chord.mid"])
    }

    /// Ctrl-C stops the render between blocks: exit status 130, one line, and no file left.
    @Test(.enabled(if: TestFiles.hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: ["native", "fluidsynth"])
    func interruptedRenderLeavesNoFile(engine: String) throws {
        let files = try TestFiles()
        defer { files.remove() }
        let midi = try files.write(TestFiles.longNote(seconds: 600), to: "hour.mid")
        let errors = files.folder.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["render", midi, "-o", files.path("hour.wav"), "-s", TestFiles.timGM, "--engine", engine, "--tail", "0"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Interrupt once rendering has begun, i.e. the temporary output file exists.
        while process.isRunning && !files.entries.contains(where: { $0.hasPrefix(".hour.wav.") }) {
            usleep(10_000)
        }
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let lines = try String(contentsOf: errors, encoding: .utf8).split(separator: "\n")
        #expect(lines.last == "attacca: error: interrupted; nothing was written to '\(files.path("hour.wav"))'")
        #expect(files.entries == ["hour.mid", "stderr.txt"])
    }

    @Test func helpExitsCleanly() throws {
        let result = try CommandRunner.run(["render", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("-o, -F, --output <path>"))
    }
}
