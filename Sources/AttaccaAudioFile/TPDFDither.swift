/// Triangular-PDF dither for 16-bit output, with the rounding: adds the sum of two independent uniform values of
/// ±½ LSB (so within ±1 LSB, mean 0, variance 1/6 LSB²) to each sample before the writer rounds
/// it, turning the rounding error into steady noise independent of the signal instead of
/// distortion that follows it (quiet fades and reverb tails no longer break into buzz).
/// One LSB is 1/32768: libsndfile's clipping float-to-16-bit conversion scales by 0x8000.
public struct TPDFDither: Sendable {
    /// Full scale / 2^15.
    public static let leastSignificantBit: Float = 1.0 / 32768
    /// Four xorshift32 generators side by side, one per lane (Marsaglia's 13, 17, 5: period
    /// 2^32 − 1 each, over 24 hours of 48 kHz stereo): fast in SIMD lanes, deterministic (a render
    /// is reproducible), never zero.
    private var state: SIMD4<UInt32>

    public init(seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        // Four distinct non-zero lane seeds from the one seed (splitmix64 steps).
        var z = seed
        var lanes = SIMD4<UInt32>()
        for k in 0..<4 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
            let lane = UInt32(truncatingIfNeeded: x)
            lanes[k] = lane == 0 ? 0x2545_F491 &+ UInt32(k) : lane
        }
        state = lanes
    }

    /// Four uniform values in [0, 1), each from its lane's top 24 bits.
    @inline(__always)
    private mutating func uniforms() -> SIMD4<Float> {
        state ^= state &<< 13
        state ^= state &>> 17
        state ^= state &<< 5
        return SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: state &>> 8)) * (1.0 / 16_777_216)
    }

    /// The next four dither values in LSB: (u1 - ½) + (u2 - ½) in each lane, triangular over (-1, 1).
    @inline(__always)
    public mutating func next() -> SIMD4<Float> {
        let first = uniforms()
        return first + uniforms() - 1
    }

    /// Adds dither to `frameCount` frames of both channels in place and rounds each to the nearest
    /// 16-bit step (clamped to -32768...32767 steps), so the writer's own conversion only copies
    /// exact values: libsndfile's clipping float-to-16-bit conversion floors (measured: a quarter
    /// LSB plus this dither came back as -¼ LSB on average), which would bias the dither by -½ LSB.
    /// Four frames per step. The rounding adds and takes away 1.5 × 2^23 (to nearest, ties to
    /// even: exact for values this small), which needs no call into libm.
    public mutating func apply(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        var i = 0
        while i &+ 4 <= frameCount {
            let l = UnsafeMutableRawPointer(left + i), r = UnsafeMutableRawPointer(right + i)
            l.storeBytes(of: Self.quantize(l.loadUnaligned(as: SIMD4<Float>.self), next()), as: SIMD4<Float>.self)
            r.storeBytes(of: Self.quantize(r.loadUnaligned(as: SIMD4<Float>.self), next()), as: SIMD4<Float>.self)
            i &+= 4
        }
        if i < frameCount {
            let dLeft = next(), dRight = next()
            var k = 0
            while i < frameCount {
                left[i] = Self.quantize(SIMD4<Float>(repeating: left[i]), dLeft)[k]
                right[i] = Self.quantize(SIMD4<Float>(repeating: right[i]), dRight)[k]
                i &+= 1
                k &+= 1
            }
        }
    }

    /// Samples plus dither (in LSB), clamped to the 16-bit range and rounded to whole steps.
    @inline(__always)
    static func quantize(_ x: SIMD4<Float>, _ dither: SIMD4<Float>) -> SIMD4<Float> {
        var scaled = x * 32768 + dither
        scaled.replace(with: -32768, where: scaled .< -32768)
        scaled.replace(with: 32767, where: scaled .> 32767)
        let magic = SIMD4<Float>(repeating: 12_582_912)
        return ((scaled + magic) - magic) * leastSignificantBit
    }
}
