import Testing
@testable import AttaccaCore

/// The LFO against FluidSynth's `fluid_lfo_calc`, written out again here from its source.
@Suite struct LowFrequencyOscillatorTests {
    /// FluidSynth 2.3's LFO: a per-block increment of 4 × 64 × frequency / rate, added once per
    /// 64-frame block from the first block whose start (frames since the note-on) is at or after
    /// the delay, folding at ±1.
    struct FluidSynthLFO {
        var value = 0.0
        var increment: Double
        let delay: Int
        var ticks = 0

        init(delay: Int, frequency: Double, sampleRate: Double) {
            self.delay = delay
            increment = 4 * 64 * frequency / sampleRate
        }

        mutating func calculateBlock() {
            if ticks >= delay {
                value += increment
                if value > 1 {
                    increment = -increment
                    value = 2 - value
                } else if value < -1 {
                    increment = -increment
                    value = -2 - value
                }
            }
            ticks += 64
        }
    }

    @Test(arguments: [0, 1, 46, 47, 63, 64, 65, 1000, 48000])
    func stepsAsFluidSynthsDoes(delay: Int) {
        for frequency in [0.5, 8.175798915643707, 40.0] {
            var lfo = LowFrequencyOscillator()
            lfo.start(delay: delay, frequency: frequency, sampleRate: 48000)
            var reference = FluidSynthLFO(delay: delay, frequency: frequency, sampleRate: 48000)
            var worst = 0.0
            for _ in 0..<3000 {  // 4 s
                lfo.advance(64)
                reference.calculateBlock()
                worst = max(worst, abs(Double(lfo.value) - reference.value))
            }
            // Float accumulation over 3000 blocks; a delay counted to the frame would be off by up
            // to 63 frames' worth (0.011 at 8.2 Hz).
            #expect(worst < 1e-3, "delay \(delay), \(frequency) Hz: \(worst)")
        }
    }

    /// Sub-blocks cut short by events add up to the whole sub-block once the delay is over; one
    /// that starts inside the delay leaves the LFO at 0 even where it runs past the delay's end.
    @Test func shortSubBlocksAddUp() {
        var whole = LowFrequencyOscillator(), split = LowFrequencyOscillator()
        whole.start(delay: 0, frequency: 5, sampleRate: 48000)
        split.start(delay: 0, frequency: 5, sampleRate: 48000)
        whole.advance(64)
        split.advance(20)
        split.advance(44)
        #expect(abs(whole.value - split.value) < 1e-6)
        #expect(whole.value > 0)

        var delayed = LowFrequencyOscillator()
        delayed.start(delay: 30, frequency: 5, sampleRate: 48000)
        delayed.advance(64)
        #expect(delayed.value == 0)
        #expect(delayed.delayRemaining == 0)
        delayed.advance(64)
        #expect(abs(delayed.value - whole.value) < 1e-6)
    }
}
