#if canImport(Glibc)
import Glibc
#endif

/// A stereo-linked peak limiter for the final mix, so a loud passage is turned down instead of
/// clipped at full scale. No look-ahead (it adds no latency to the live path): a sample that would
/// pass `ceiling` gets its gain cut at once, exactly to the ceiling; the gain then recovers with
/// a `releaseSeconds` time constant. Below the ceiling, with the gain recovered, it is the identity,
/// so quiet and normal material passes unchanged. A value type with no storage: allocation-free.
public struct OutputLimiter: Sendable {
    /// Largest output magnitude: -0.1 dBFS, leaving room for 16-bit rounding and dither.
    public let ceiling: Float
    /// Per-sample approach of the gain towards 1 (from `releaseSeconds`).
    let releaseCoefficient: Float
    /// The gain now (1: not limiting).
    public private(set) var gain: Float = 1

    public init(sampleRate: Int, ceiling: Float = 0.988_553, releaseSeconds: Double = 0.1) {
        self.ceiling = ceiling
        releaseCoefficient = Float(1 - exp(-1 / (releaseSeconds * Double(max(sampleRate, 1)))))
    }

    /// Limits `frameCount` frames of `left` and `right` in place.
    @_noLocks
    public mutating func process(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        var g = gain
        let c = ceiling, k = releaseCoefficient
        // Recovered and nothing above the ceiling: the identity, found with one pass of maxima.
        if g == 1 && max(FastMath.peak(left, frameCount), FastMath.peak(right, frameCount)) <= c { return }
        for i in 0..<frameCount {
            let l = left[i], r = right[i]
            let peak = max(abs(l), abs(r))
            // Recover towards 1, then cut to what this frame allows.
            g += (1 - g) * k
            if peak * g > c { g = c / peak }
            left[i] = l * g
            right[i] = r * g
        }
        // Snap to exactly 1 once recovered, so the identity below the ceiling is exact.
        gain = g > 0.999_999 ? 1 : g
    }
}
