import Testing
@testable import AttaccaCore

/// 24-bit samples (sm24 low bytes) play at the same scale as 16-bit ones, with the extra bits.
@Suite struct SampleFormatTests {
    func font(_ wave: [Int16], low: UInt8?) -> SoundFont {
        let header = SampleHeader(name: "s", start: 0, end: wave.count, loopStart: 100, loopEnd: wave.count - 100,
                                  sampleRate: 48000, originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        var zone = Zone()
        zone.generators[.sampleID] = 0
        zone.generators[.sampleModes] = 1
        var presetZone = Zone()
        presetZone.generators[.instrument] = 0
        let data = wave + Array(repeating: 0, count: 46)
        return SoundFont(presets: [Preset(name: "p", bank: 0, program: 0, zones: [presetZone])],
                         instruments: [Instrument(name: "i", zones: [zone])], samples: [header], sampleData: data,
                         sampleData24: low.map { Array(repeating: $0, count: data.count) })
    }

    func render(_ font: SoundFont, key: Int) throws -> [Float] {
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: key, velocity: 100))
        return Measure.render(&synth, frames: 4800).left
    }

    @Test func zeroLowBytesMatch16Bit() throws {
        let wave = TestSoundFont.cosine(period: 97, cycles: 20)
        for key in [60, 67] {  // unity and a resampled pitch
            let a = try render(font(wave, low: nil), key: key), b = try render(font(wave, low: 0), key: key)
            let worst = zip(a, b).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-6, "key \(key): \(worst)")
        }
    }

    @Test func lowBytesAddTheirFraction() throws {
        // A constant 1000 with low byte 0x80 is 1000.5 in 16-bit units.
        let wave = TestSoundFont.constant(1000, count: 2000)
        let a = try render(font(wave, low: nil), key: 60), b = try render(font(wave, low: 0x80), key: 60)
        let ratio = Double(b[4000] / a[4000])
        #expect(abs(ratio - 1000.5 / 1000) < 1e-5, "ratio \(ratio)")
    }
}
