/// Triangular-PDF dither for 16-bit output, with the rounding: adds the sum of two independent uniform values of
/// ±½ LSB (so within ±1 LSB, mean 0, variance 1/6 LSB²) to each sample before the writer rounds
/// it, turning the rounding error into steady noise independent of the signal instead of
/// distortion that follows it (quiet fades and reverb tails no longer break into buzz).
/// One LSB is 1/32768: libsndfile's clipping float-to-16-bit conversion scales by 0x8000.
public struct TPDFDither: Sendable {
    /// Full scale / 2^15.
    public static let leastSignificantBit: Float = 1.0 / 32768
    /// xorshift64* state: fast, deterministic (a render is reproducible), never zero.
    private var state: UInt64

    public init(seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        state = seed == 0 ? 1 : seed
    }

    /// A uniform value in [0, 1) from 24 random bits.
    @inline(__always)
    mutating func uniform() -> Float {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Float((state &* 0x2545_F491_4F6C_DD1D) >> 40) * (1.0 / 16_777_216)
    }

    /// The next dither value in LSB: (u1 - ½) + (u2 - ½), triangular over (-1, 1).
    public mutating func next() -> Float {
        uniform() + uniform() - 1
    }

    /// Adds dither to `frameCount` frames of both channels in place and rounds each to the nearest
    /// 16-bit step (clamped to -32768...32767 steps), so the writer's own conversion only copies
    /// exact values: libsndfile's clipping float-to-16-bit conversion floors (measured: a quarter
    /// LSB plus this dither came back as -¼ LSB on average), which would bias the dither by -½ LSB.
    public mutating func apply(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        let scale: Float = 32768, lsb = Self.leastSignificantBit
        for i in 0..<frameCount {
            left[i] = min(max((left[i] * scale + next()).rounded(), -32768), 32767) * lsb
            right[i] = min(max((right[i] * scale + next()).rounded(), -32768), 32767) * lsb
        }
    }
}
