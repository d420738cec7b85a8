import Testing
@testable import AttaccaCore

/// Voices are filtered and mixed in groups of four, pairs or singly; whichever path a voice
/// takes, the mix must equal the sum of the voices rendered alone.
@Suite struct VoiceGroupingTests {
    /// A font whose filter moves (mod envelope on the cutoff) and resonates, so every path glides.
    func font() -> SoundFont {
        TestSoundFont.a440(instrumentGenerators: [(.initialFilterFc, 9000), (.initialFilterQ, 120),
                                                  (.modEnvToFilterFc, 2400), (.decayModEnv, -1200),
                                                  (.sustainModEnv, 500), (.releaseVolEnv, -3000)])
    }

    func render(keys: [Int], frames: Int) throws -> [Float] {
        var synth = try Synthesizer(soundFont: font())
        for (n, key) in keys.enumerated() { synth.send(.noteOn(channel: n % 16, key: key, velocity: 60 + n * 5)) }
        var out = Measure.render(&synth, frames: frames / 2, block: 100).left
        for (n, key) in keys.enumerated() where n % 3 == 0 { synth.send(.noteOff(channel: n % 16, key: key)) }
        out += Measure.render(&synth, frames: frames / 2, block: 100).left
        return out
    }

    @Test func mixEqualsSumOfSoloVoices() throws {
        for count in [1, 2, 3, 4, 5, 7, 9] {
            let keys = (0..<count).map { 50 + $0 * 3 }
            let together = try render(keys: keys, frames: 9600)
            var sum = [Float](repeating: 0, count: 9600)
            for (n, key) in keys.enumerated() {
                // Same channel, velocity and note-off as in the group render.
                var synth = try Synthesizer(soundFont: font())
                synth.send(.noteOn(channel: n % 16, key: key, velocity: 60 + n * 5))
                var solo = Measure.render(&synth, frames: 4800, block: 100).left
                if n % 3 == 0 { synth.send(.noteOff(channel: n % 16, key: key)) }
                solo += Measure.render(&synth, frames: 4800, block: 100).left
                for i in 0..<9600 { sum[i] += solo[i] }
            }
            let peak = sum.map(abs).max()!
            let worst = zip(together, sum).map { abs($0 - $1) }.max()!
            #expect(peak > 0.01)
            #expect(worst < peak * 1e-5, "\(count) voices: difference \(worst) of \(peak)")
        }
    }
}
