#if canImport(Glibc)
import Glibc
#endif

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

    /// The voice loop's number for `interpolation`.
    static func method(_ interpolation: SynthesizerSettings.Interpolation) -> Int {
        switch interpolation {
        case .none: Voice.noneMethod
        case .linear: Voice.linearMethod
        case .cubic: Voice.cubicMethod
        case .sinc: Voice.sincMethod
        }
    }

    /// Points the sinc kernel reads: p[i-3] ... p[i+4] around position i + fraction.
    public static var sincTaps: Int { 8 }
    /// Rows of the sinc table: the fraction's top 11 bits pick one (a phase error of at most
    /// 1/4096 of a point: -75 dB on a sine of 20 points per cycle).
    public static var sincTableBits: Int { 11 }

    /// Where the weights for the 32-bit fraction `fraction` start in the sinc table, rounded to the nearest row.
    @_noLocks
    @inline(__always)
    static func sincRow(_ fraction: UInt32) -> Int {
        let row = (Int(fraction) + (1 << (31 - sincTableBits))) >> (32 - sincTableBits)
        return row * sincTaps  // row 2^bits (fraction near 1) exists: the table has one extra row
    }

    /// The Kaiser window's shape parameter: β = 6 keeps the 8-point kernel within about -66 dB of
    /// an ideal delay from 0.05 to 0.2 cycles per stored point (cubic: -68 to -28 dB).
    public static var sincKaiserBeta: Double { 6 }

    /// The weights of p[i-3] ... p[i+4] at `fraction`: sinc(d) × Kaiser(β = 6) over ±4 points for
    /// each point at distance d, normalised to sum to 1 so a constant passes unchanged.
    public static func sincWeights(_ fraction: Double) -> [Double] {
        func sinc(_ x: Double) -> Double { x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x) }
        /// Modified Bessel function of the first kind, order 0, by its power series.
        func besselI0(_ x: Double) -> Double {
            var sum = 1.0, term = 1.0, k = 1.0
            while term > 1e-12 * sum {
                term *= (x / (2 * k)) * (x / (2 * k))
                sum += term
                k += 1
            }
            return sum
        }
        let beta = sincKaiserBeta
        let raw = (0..<sincTaps).map { k -> Double in
            let d = Double(k - 3) - fraction
            guard abs(d) < 4 else { return 0 }
            return sinc(d) * besselI0(beta * (1 - (d / 4) * (d / 4)).squareRoot()) / besselI0(beta)
        }
        let sum = raw.reduce(0, +)
        return raw.map { $0 / sum }
    }

    /// Allocates `sincWeights` for fractions k / 2^sincTableBits, k = 0 ... 2^sincTableBits, as
    /// `sincTaps` floats per row. The caller deallocates it.
    public static func makeSincTable() -> UnsafeMutablePointer<Float> {
        let rows = (1 << sincTableBits) + 1
        let table = UnsafeMutablePointer<Float>.allocate(capacity: rows * sincTaps)
        for row in 0..<rows {
            let weights = sincWeights(Double(row) / Double(1 << sincTableBits))
            for k in 0..<sincTaps { (table + row * sincTaps + k).initialize(to: Float(weights[k])) }
        }
        return table
    }
}
