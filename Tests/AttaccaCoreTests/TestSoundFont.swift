import Glibc
@testable import AttaccaCore

/// Builds small SoundFonts in memory: one sample, one instrument, one preset, with the
/// generators a test wants. Sample data gets the 46 zero points real files have.
enum TestSoundFont {
    /// A cosine (starts at its peak, so the first rendered frame is nonzero) with an integer
    /// period, `cycles` periods long.
    static func cosine(period: Int, cycles: Int, amplitude: Double = 16000) -> [Int16] {
        (0..<(period * cycles)).map { i in
            Int16((amplitude * cos(2 * Double.pi * Double(i) / Double(period))).rounded())
        }
    }

    /// A constant sample (the rendered output then is the gain envelope itself).
    static func constant(_ value: Int16, count: Int) -> [Int16] {
        Array(repeating: value, count: count)
    }

    /// One preset (bank `bank`, program `program`) over one looped (or unlooped) sample.
    static func make(
        sample: [Int16], sampleRate: Int, originalPitch: Int, pitchCorrection: Int = 0,
        loop: Range<Int>? = nil, sampleMode: Int16 = 1,
        instrumentGenerators: [(GeneratorType, Int16)] = [], instrumentModulators: [Modulator] = [],
        presetGenerators: [(GeneratorType, Int16)] = [], presetModulators: [Modulator] = [],
        bank: Int = 0, program: Int = 0
    ) -> SoundFont {
        let header = SampleHeader(
            name: "test", start: 0, end: sample.count,
            loopStart: loop?.lowerBound ?? 0, loopEnd: loop?.upperBound ?? 0,
            sampleRate: sampleRate, originalPitch: originalPitch, pitchCorrection: pitchCorrection,
            sampleLink: 0, sampleType: 1)
        var instrumentZone = Zone()
        instrumentZone.generators[.sampleID] = 0
        if loop != nil { instrumentZone.generators[.sampleModes] = sampleMode }
        for (type, value) in instrumentGenerators { instrumentZone.generators[type] = value }
        instrumentZone.modulators = instrumentModulators
        var presetZone = Zone()
        presetZone.generators[.instrument] = 0
        for (type, value) in presetGenerators { presetZone.generators[type] = value }
        presetZone.modulators = presetModulators
        return SoundFont(
            presets: [Preset(name: "test", bank: bank, program: program, zones: [presetZone])],
            instruments: [Instrument(name: "test", zones: [instrumentZone])],
            samples: [header],
            sampleData: sample + Array(repeating: 0, count: 46))
    }

    /// The 440 Hz test font: a cosine of period 100 at 44 kHz (exactly 440 Hz), root key 69,
    /// looped over its whole length.
    static func a440(instrumentGenerators: [(GeneratorType, Int16)] = []) -> SoundFont {
        let wave = cosine(period: 100, cycles: 20)
        return make(sample: wave, sampleRate: 44000, originalPitch: 69, loop: 0..<wave.count,
                    instrumentGenerators: instrumentGenerators)
    }
}
