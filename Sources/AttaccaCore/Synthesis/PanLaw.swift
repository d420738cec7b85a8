/// FluidSynth's constant-power pan law (`fluid_pan`): gain = sin((p + 500) × π/2 / 1001) for
/// pan p in 0.1 % units (-500 hard left ... 500 hard right), p truncated to an integer; the
/// left channel uses -p. Centre gives 0.70655 on both sides (the table's 500th of 1001 steps).
public enum PanLaw {
    /// Gain of one side for pan `c` seen from that side (use -pan for the left channel).
    @_noLocks
    @inline(__always)
    public static func sideGain(_ c: Float) -> Float {
        if c <= -500 { return 0 }
        if c >= 500 { return 1 }
        let step = Int(c) + 500
        return Float(FastMath.sin(Double(step) * (1.57079632679489661923 / 1001.0)))
    }

    /// Left and right gains for pan in -500...500.
    @_noLocks
    @inline(__always)
    public static func gains(pan: Float) -> (left: Float, right: Float) {
        (sideGain(-pan), sideGain(pan))
    }
}
