import Glibc
import Testing
@testable import AttaccaCore

/// Several fonts stacked as FluidSynth stacks them: the last loaded on top, first found wins per
/// bank/program, bank offsets moving a font's presets. Each case listens for the pitch it plays.
@Suite struct SoundFontStackTests {
    /// A font whose one preset plays a looped cosine of `period` points at 44 kHz, root key 69:
    /// key 69 sounds at 44000 / period Hz.
    func font(period: Int, bank: Int = 0, program: Int = 0) -> SoundFont {
        let wave = TestSoundFont.cosine(period: period, cycles: 4400 / period)
        return TestSoundFont.make(sample: wave, sampleRate: 44000, originalPitch: 69, loop: 0..<wave.count,
                                  bank: bank, program: program)
    }

    /// Frequency of the rendered note from zero crossings (the output is a pure cosine).
    func playedFrequency(_ soundFont: SoundFont, bank: Int = 0, program: Int = 0) throws -> Double {
        var synth = try Synthesizer(soundFont: soundFont)
        if bank != 0 { synth.send(.controlChange(channel: 0, controller: 0, value: bank)) }
        synth.send(.programChange(channel: 0, program: program))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
        let out = Measure.render(&synth, frames: 48000).left
        var first = -1, last = -1, crossings = 0
        for i in 4800..<48000 where out[i - 1] < 0 && out[i] >= 0 {
            if first < 0 { first = i } else { crossings += 1 }
            last = i
        }
        guard crossings > 0 else { return 0 }
        return 48000 * Double(crossings) / Double(last - first)
    }

    @Test func presetOnlyInTheLowerFontPlaysFromIt() throws {
        let lower = font(period: 100, program: 5)   // 440 Hz
        let upper = font(period: 50, program: 0)    // 880 Hz
        let stack = try SoundFontStack(layers: [.init(soundFont: lower), .init(soundFont: upper)]).merged()
        #expect(abs(try playedFrequency(stack, program: 5) - 440) < 1)
        #expect(abs(try playedFrequency(stack, program: 0) - 880) < 1)
    }

    @Test func sameBankAndProgramPlaysFromTheTopFont() throws {
        let lower = font(period: 100)   // 440 Hz
        let upper = font(period: 80)    // 550 Hz
        let stack = try SoundFontStack(layers: [.init(soundFont: lower), .init(soundFont: upper)]).merged()
        #expect(abs(try playedFrequency(stack) - 550) < 1)
        let reversed = try SoundFontStack(layers: [.init(soundFont: upper), .init(soundFont: lower)]).merged()
        #expect(abs(try playedFrequency(reversed) - 440) < 1)
        // Both fonts' sample data stay addressable: 2 × (4400 + 46) points.
        #expect(stack.sampleData.count == lower.sampleData.count + upper.sampleData.count)
    }

    @Test func bankOffsetMovesAFontsPresets() throws {
        let lower = font(period: 100)   // 440 Hz at bank 0
        let upper = font(period: 80)    // 550 Hz, moved to bank 2
        let stack = try SoundFontStack(layers: [.init(soundFont: lower), .init(soundFont: upper, bankOffset: 2)]).merged()
        #expect(stack.presets.map(\.bank) == [2, 0])
        #expect(abs(try playedFrequency(stack) - 440) < 1)
        #expect(abs(try playedFrequency(stack, bank: 2) - 550) < 1)
    }

    @Test func singleLayerIsTheFontItself() throws {
        let one = font(period: 100)
        #expect(try SoundFontStack(layers: [.init(soundFont: one)]).merged() === one)
    }
}
