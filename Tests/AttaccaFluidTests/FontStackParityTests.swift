import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import Glibc
import Testing

/// The native font stack against FluidSynth's, given the same files in the same order: each
/// bank/program plays the same font's sample (told apart by pitch) in both engines.
@Suite struct FontStackParityTests {
    /// One looped cosine preset at `bank`/`program`; key 69 sounds at 44000 / `period` Hz.
    func font(period: Int, bank: Int = 0, program: Int = 0) -> SoundFont {
        let wave = (0..<4400).map { Int16((12000 * cos(2 * Double.pi * Double($0) / Double(period))).rounded()) }
        var instrumentZone = Zone()
        instrumentZone.generators[.sampleID] = 0
        instrumentZone.generators[.sampleModes] = 1
        var presetZone = Zone()
        presetZone.generators[.instrument] = 0
        let header = SampleHeader(name: "cosine", start: 0, end: 4400, loopStart: 0, loopEnd: 4400, sampleRate: 44000,
                                  originalPitch: 69, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        return SoundFont(presets: [Preset(name: "p", bank: bank, program: program, zones: [presetZone])],
                         instruments: [Instrument(name: "i", zones: [instrumentZone])],
                         samples: [header], sampleData: wave + Array(repeating: 0, count: 46))
    }

    func frequency<E: SoundEngine & ~Copyable>(_ engine: inout E, bank: Int, program: Int) -> Double {
        engine.send(.controlChange(channel: 0, controller: 0, value: bank))
        engine.send(.programChange(channel: 0, program: program))
        engine.send(.noteOn(channel: 0, key: 69, velocity: 127))
        let out = render(&engine, frameCount: 48000, blockSize: 512).left
        var first = -1, last = -1, crossings = 0
        for i in 4800..<48000 where out[i - 1] < 0 && out[i] >= 0 {
            if first < 0 { first = i } else { crossings += 1 }
            last = i
        }
        return crossings > 0 ? 48000 * Double(crossings) / Double(last - first) : 0
    }

    @Test func nativeStackPlaysWhatFluidSynthPlays() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        // lower: bank 0 program 0 at 440 Hz and (second font) program 5 at 550 Hz; upper: bank 0
        // program 0 at 880 Hz, loaded with bank offset 0; a third font at bank 0 moved to bank 3.
        let fonts: [(SoundFont, Int)] = [(font(period: 100), 0), (font(period: 80, program: 5), 0),
                                         (font(period: 50), 0), (font(period: 40), 3)]
        var paths: [(path: String, bankOffset: Int)] = []
        for (index, (soundFont, offset)) in fonts.enumerated() {
            let path = "\(folder.path)/\(index).sf2"
            let bytes = SoundFontWriter.bytes(for: soundFont)
            let file = fopen(path, "wb")!
            _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
            paths.append((path, offset))
        }
        let stack = try SoundFontStack(layers: fonts.map { .init(soundFont: $0.0, bankOffset: $0.1) }).merged()
        for (bank, program, expected) in [(0, 0, 880.0), (0, 5, 550.0), (3, 0, 1100.0)] {
            var fluid = try FluidSynthEngine(soundFonts: paths, sampleRate: 48000)
            var native = try Synthesizer(soundFont: stack)
            let fluidHz = frequency(&fluid, bank: bank, program: program)
            let nativeHz = frequency(&native, bank: bank, program: program)
            #expect(abs(fluidHz - expected) < 1, "fluidsynth bank \(bank) program \(program): \(fluidHz) Hz")
            #expect(abs(nativeHz - expected) < 1, "native bank \(bank) program \(program): \(nativeHz) Hz")
        }
    }
}
