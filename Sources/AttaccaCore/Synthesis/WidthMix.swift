/// The last step of FluidSynth-style stereo effects (its reverb and chorus alike): two wet
/// signals crossed with the gains `wet1`/`wet2` that set the stereo width.
enum WidthMix {
    /// Adds `a` and `b` crossed with the width gains to the output (left = wet1·a + wet2·b,
    /// right = wet1·b + wet2·a); returns the largest magnitude added. Four frames per step.
    @_noLocks
    @inline(__always)
    static func add(_ yl: UnsafePointer<Float>, _ yr: UnsafePointer<Float>, _ count: Int, _ wet1: Float, _ wet2: Float,
                    _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>) -> Float {
        let w1 = SIMD4<Float>(repeating: wet1), w2 = SIMD4<Float>(repeating: wet2)
        var lanes = SIMD4<Float>()
        var i = 0
        while i &+ 4 <= count {
            let a = UnsafeRawPointer(yl + i).loadUnaligned(as: SIMD4<Float>.self)
            let b = UnsafeRawPointer(yr + i).loadUnaligned(as: SIMD4<Float>.self)
            let outLeft = a * w1 + b * w2, outRight = b * w1 + a * w2
            lanes = FastMath.maxMagnitude(FastMath.maxMagnitude(lanes, outLeft), outRight)
            let l = UnsafeMutableRawPointer(left + i), r = UnsafeMutableRawPointer(right + i)
            l.storeBytes(of: l.loadUnaligned(as: SIMD4<Float>.self) + outLeft, as: SIMD4<Float>.self)
            r.storeBytes(of: r.loadUnaligned(as: SIMD4<Float>.self) + outRight, as: SIMD4<Float>.self)
            i &+= 4
        }
        var result = max(max(lanes[0], lanes[1]), max(lanes[2], lanes[3]))
        while i < count {
            let outLeft = yl[i] * wet1 + yr[i] * wet2
            let outRight = yr[i] * wet1 + yl[i] * wet2
            result = max(result, max(outLeft.magnitude, outRight.magnitude))
            left[i] += outLeft
            right[i] += outRight
            i &+= 1
        }
        return result
    }
}
