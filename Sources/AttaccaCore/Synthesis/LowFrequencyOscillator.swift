/// A triangle LFO as FluidSynth's (`fluid_lfo_calc`): 0 during its delay, then starting at 0 and
/// rising with period 1/frequency between -1 and +1. Advanced per sub-block, in whole sub-blocks:
/// a sub-block that starts inside the delay leaves it at 0, every later one moves it by the whole
/// sub-block, as FluidSynth steps its LFOs once per 64-frame block from the first block that
/// starts at or after the delay. The value a sub-block uses is then between 0 and 63 frames
/// behind the continuous triangle at the sub-block's end (FluidSynth's own timing, so vibrato
/// phases match its renders), where counting the delay to the frame put it exactly there.
struct LowFrequencyOscillator {
    var delayRemaining: Int = 0
    /// Change per sample, 4 × frequency / sampleRate, sign gives the direction.
    var increment: Float = 0
    var value: Float = 0

    @_noLocks
    mutating func start(delay: Int, frequency: Double, sampleRate: Double) {
        delayRemaining = max(delay, 0)
        increment = Float(4 * frequency / sampleRate)
        value = 0
    }

    @_noLocks
    @inline(__always)
    mutating func advance(_ count: Int) {
        if delayRemaining > 0 {
            delayRemaining -= min(count, delayRemaining)
            return
        }
        value += increment * Float(count)
        // Fold back into -1...1 (at most a few folds: increments are small).
        while value > 1 || value < -1 {
            if value > 1 {
                value = 2 - value
                increment = -increment.magnitude
            } else {
                value = -2 - value
                increment = increment.magnitude
            }
        }
    }
}
