import Glibc
import Testing
@testable import AttaccaCore

/// The SF2 default velocity -> filter cutoff modulator: velocity 63 and 64 sound equally bright
/// (FluidSynth's reading, docs/SOUNDFONT.md); the literal reading makes 64 an octave darker.
@Suite struct VelocityBrightnessTests {
    /// 440 Hz with 40 equal harmonics (up to 17.6 kHz) at 44 kHz: bright enough for a filter at
    /// 8 kHz to show.
    static func brightFont() -> SoundFont {
        let wave: [Int16] = (0..<2000).map { i in
            var sum = 0.0
            for n in 1...40 { sum += cos(2 * Double.pi * Double(n * i) / 100) }
            return Int16((sum * 600).rounded())
        }
        return TestSoundFont.make(sample: wave, sampleRate: 44000, originalPitch: 69, loop: 0..<wave.count)
    }

    /// High-frequency energy relative to the low, in dB: harmonics 19-40 (8.4-17.6 kHz) over
    /// harmonics 1-10, each measured by a one-bin DFT between 0.2 s and 0.7 s.
    static func brightness(velocity: Int, literal: Bool) throws -> Double {
        var synth = try Synthesizer(soundFont: brightFont(),
                                    settings: SynthesizerSettings(velocityToFilterModulator: literal))
        synth.send(.noteOn(channel: 0, key: 69, velocity: velocity))
        let out = Measure.render(&synth, frames: 48000 * 7 / 10).left
        func energy(_ harmonics: ClosedRange<Int>) -> Double {
            harmonics.reduce(0) { sum, n in
                let a = Measure.amplitude(out, at: 440 * Double(n), 9600..<33600, sampleRate: 48000)
                return sum + a * a
            }
        }
        return 10 * log10(energy(19...40) / energy(1...10))
    }

    @Test func velocity63And64AreEquallyBright() throws {
        let b63 = try Self.brightness(velocity: 63, literal: false)
        let b64 = try Self.brightness(velocity: 64, literal: false)
        #expect(abs(b63 - b64) < 3, "63: \(b63) dB, 64: \(b64) dB")
    }

    /// The literal specification is what made 64 darker: the same measure tells them apart.
    @Test func literalReadingMakes64Darker() throws {
        let b63 = try Self.brightness(velocity: 63, literal: true)
        let b64 = try Self.brightness(velocity: 64, literal: true)
        #expect(b63 - b64 > 3, "63: \(b63) dB, 64: \(b64) dB")
    }

    /// A font zone that restates the default modulator with another amount is silenced too, as
    /// FluidSynth's identity test ignores the amount.
    @Test func fontCopyOfTheModulatorIsSilenced() throws {
        let copy = Modulator(source: 0x0102, destination: GeneratorType.initialFilterFc.rawValue,
                             amount: -4800, amountSource: 0x0C02, transform: 0)
        let table = try RegionTable(soundFont: TestSoundFont.make(
            sample: TestSoundFont.cosine(period: 100, cycles: 20), sampleRate: 44000, originalPitch: 69,
            instrumentModulators: [copy]), silenceVelocityToFilter: true)
        let region = table.regions[0]
        for k in 0..<region.modulatorCount {
            #expect(!table.modulators[region.modulatorOffset + k].isDefaultVelocityToFilter)
        }
    }
}
