/// A triangle LFO as FluidSynth's: silent (0) during its delay, then starting at 0 and rising
/// with period 1/frequency between -1 and +1. Advanced per sub-block.
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
        var left = count
        if delayRemaining > 0 {
            let step = min(left, delayRemaining)
            delayRemaining -= step
            left -= step
            if left == 0 { return }
        }
        value += increment * Float(left)
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
