#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A second-order filter (the common "audio EQ cookbook" low-, high- and band-pass forms) used to
/// shape noise and tones while generating samples. Double precision; not for the render path.
struct Biquad {
    enum Kind { case lowPass, highPass, bandPass }

    private let b0, b1, b2, a1, a2: Double
    private var z1 = 0.0, z2 = 0.0

    init(_ kind: Kind, frequency: Double, q: Double, sampleRate: Double) {
        let w0 = 2 * Double.pi * frequency / sampleRate
        let cosW = cos(w0), alpha = sin(w0) / (2 * q)
        let a0 = 1 + alpha
        var b: (Double, Double, Double)
        switch kind {
        case .lowPass: b = ((1 - cosW) / 2, 1 - cosW, (1 - cosW) / 2)
        case .highPass: b = ((1 + cosW) / 2, -(1 + cosW), (1 + cosW) / 2)
        case .bandPass: b = (alpha, 0, -alpha)
        }
        b0 = b.0 / a0
        b1 = b.1 / a0
        b2 = b.2 / a0
        a1 = -2 * cosW / a0
        a2 = (1 - alpha) / a0
    }

    /// One sample in, one out (transposed direct form II).
    mutating func process(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }
}
