/// A small deterministic PRNG (SplitMix64) for the noise in synthesized samples: the default
/// SoundFont must come out byte-identical on every run and machine, so system randomness is out.
/// Tests use it too, so randomized tests fail the same way every run.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<1 from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// Uniform in -1..<1: white noise.
    public mutating func bipolar() -> Double { unit() * 2 - 1 }
}
