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
}
