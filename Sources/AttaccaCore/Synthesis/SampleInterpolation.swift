/// The interpolation polynomials the voices use between stored sample points.
public enum SampleInterpolation {
    /// 4-point cubic through p1 (fraction 0) and p2 (fraction 1): Catmull-Rom, the same
    /// polynomial as FluidSynth's 4th-order interpolation table.
    @_noLocks
    @inline(__always)
    public static func cubic(_ p0: Float, _ p1: Float, _ p2: Float, _ p3: Float, _ fraction: Float) -> Float {
        p1 + 0.5 * fraction * (p2 - p0 + fraction * (2 * p0 - 5 * p1 + 4 * p2 - p3
            + fraction * (3 * (p1 - p2) + p3 - p0)))
    }

    /// Straight line between p1 and p2.
    @_noLocks
    @inline(__always)
    public static func linear(_ p1: Float, _ p2: Float, _ fraction: Float) -> Float {
        p1 + fraction * (p2 - p1)
    }

    /// The weights of p0...p3 in `cubic` at `fraction` (they sum to 1).
    public static func cubicWeights(_ f: Double) -> (Double, Double, Double, Double) {
        (f * (-0.5 + f * (1 - 0.5 * f)), 1 + f * f * (1.5 * f - 2.5), f * (0.5 + f * (2 - 1.5 * f)), 0.5 * f * f * (f - 1))
    }

    /// Entries of the cubic weight table: the fraction's top 10 bits pick one (FluidSynth uses 8).
    public static var cubicTableBits: Int { 10 }
    public static var cubicTableSize: Int { 1 << cubicTableBits }

    /// The integer that stands for weight 1 in the cubic table: the largest Int16, so every
    /// Catmull-Rom weight (all lie in -0.15...1) fits and fraction 0 reproduces the point exactly.
    public static var cubicTableOne: Int { 32767 }

    /// Allocates the table of `cubicWeights(k / cubicTableSize)` × `cubicTableOne`, rounded, with
    /// w1 taking the rounding remainder so each entry sums to exactly `cubicTableOne` (DC exact).
    /// The 16-bit cubic kernel multiplies sample points by these with `pmaddwd`; the rounding
    /// is at most 2^-16 of the points' scale per weight. The caller deallocates it.
    public static func makeCubicTable() -> UnsafeMutablePointer<SIMD4<Int16>> {
        let table = UnsafeMutablePointer<SIMD4<Int16>>.allocate(capacity: cubicTableSize)
        let one = cubicTableOne
        for k in 0..<cubicTableSize {
            let w = cubicWeights(Double(k) / Double(cubicTableSize))
            func scaled(_ x: Double) -> Int { Int((x * Double(one)).rounded()) }
            let w0 = scaled(w.0), w2 = scaled(w.2), w3 = scaled(w.3)
            let w1 = min(one - w0 - w2 - w3, one)
            (table + k).initialize(to: SIMD4<Int16>(Int16(w0), Int16(w1), Int16(w2), Int16(w3)))
        }
        return table
    }
}
