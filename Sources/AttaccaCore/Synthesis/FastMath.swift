/// Pure-Swift math for the render path: `@_noLocks` code may not call libm, so exp2, log2 and
/// sine are computed here with range reduction and short polynomials (relative error < 1e-9,
/// far below the 0.1 cent / 0.01 dB the synthesizer needs), plus the SF2 unit conversions.
public enum FastMath {
    /// The larger of each lane's `a` and `|b|`, by compare and select (the stdlib's generic
    /// `pointwiseMax` is not inlined). A NaN in `b` leaves the lane as it was.
    @_noLocks
    @inline(__always)
    static func maxMagnitude(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        let magnitude = b.replacing(with: -b, where: b .< 0)
        return a.replacing(with: magnitude, where: magnitude .> a)
    }

    /// The largest magnitude of `count` values, four lanes at a time.
    @_noLocks
    @inline(__always)
    public static func peak(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD4<Float>()
        var i = 0
        while i &+ 4 <= count {
            lanes = maxMagnitude(lanes, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Float>.self))
            i &+= 4
        }
        var result = max(max(lanes[0], lanes[1]), max(lanes[2], lanes[3]))
        while i < count {
            result = max(result, x[i].magnitude)
            i &+= 1
        }
        return result
    }

    /// Largest integer not greater than `x`, for |x| < 2^62.
    @_noLocks
    @inline(__always)
    public static func floor(_ x: Double) -> Double {
        let t = Double(Int64(x))
        return t > x ? t - 1 : t
    }

    /// 2^x. Arguments are clamped to ±1000 (the result is then 0 or huge, never NaN).
    /// Called for every voice's pitch, envelope gain and filter cutoff each sub-block, so it is
    /// kept short: no conversions with range checks, and a polynomial evaluated in a shallow tree.
    @_noLocks
    @inline(__always)
    public static func exp2(_ x: Double) -> Double {
        let clamped = x < -1000 ? -1000 : (x > 1000 ? 1000 : x)
        // Adding 1.5 * 2^52 rounds to the nearest integer, which lands in the low mantissa bits.
        let magic = 6755399441055744.0
        let shifted = clamped + magic
        let whole = shifted - magic
        let f = clamped - whole  // [-0.5, 0.5]
        let k = Int64(bitPattern: shifted.bitPattern &- magic.bitPattern)
        // 1 + c1 f + ... + c7 f^7, fitted to 2^f on [-0.5, 0.5] for least maximum relative error
        // (4.7e-11, exactly 1 at f = 0), evaluated by Estrin's scheme: four levels, not seven.
        let f2 = f * f, f4 = f2 * f2
        let low = (1 + 0.693147180704533 * f) + f2 * (0.24022651066561304 + 0.05550410365991108 * f)
        let high = (0.009618038132036358 + 0.0013333935055835871 * f)
            + f2 * (0.00015466756324194746 + 1.51961564881579e-05 * f)
        let p = low + f4 * high
        let scale = Double(bitPattern: UInt64(bitPattern: (k &+ 1023) << 52))
        return p * scale
    }

    /// log2(x) for x > 0; returns -1100 for x <= 0 (and for subnormals, which do not occur here).
    @_noLocks
    @inline(__always)
    public static func log2(_ x: Double) -> Double {
        if !(x > 2.3e-308) { return -1100 }
        if x == .infinity { return 1100 }
        let bits = x.bitPattern
        var exponent = Int64((bits >> 52) & 0x7FF) - 1023
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if m > 1.41421356237309504880 {
            m *= 0.5
            exponent += 1
        }
        // ln m = 2 atanh(z), z = (m-1)/(m+1), |z| <= 0.1716: odd series to z^15, error < 1e-13.
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var s = 1.0 / 15.0
        s = s * z2 + 1.0 / 13.0
        s = s * z2 + 1.0 / 11.0
        s = s * z2 + 1.0 / 9.0
        s = s * z2 + 1.0 / 7.0
        s = s * z2 + 1.0 / 5.0
        s = s * z2 + 1.0 / 3.0
        s = s * z2 + 1.0
        let ln = 2 * z * s
        return Double(exponent) + ln * 1.44269504088896340735992468100  // 1 / ln 2
    }

    /// sin(x) for any finite x.
    @_noLocks
    @inline(__always)
    public static func sin(_ x: Double) -> Double {
        let twoPi = 6.28318530717958647692528676656
        let halfPi = 1.57079632679489661923132169164
        var y = x - twoPi * floor(x / twoPi + 0.5)  // [-pi, pi]
        if y > halfPi { y = 2 * halfPi - y } else if y < -halfPi { y = -2 * halfPi - y }
        // Taylor series to degree 15 on [-pi/2, pi/2]: error < 1e-12.
        let y2 = y * y
        var p = -1.0 / 1307674368000.0
        p = p * y2 + 1.0 / 6227020800.0
        p = p * y2 - 1.0 / 39916800.0
        p = p * y2 + 1.0 / 362880.0
        p = p * y2 - 1.0 / 5040.0
        p = p * y2 + 1.0 / 120.0
        p = p * y2 - 1.0 / 6.0
        p = p * y2 + 1.0
        return y * p
    }

    /// cos(x) for any finite x.
    @_noLocks
    @inline(__always)
    public static func cos(_ x: Double) -> Double {
        sin(x + 1.57079632679489661923132169164)
    }

    // MARK: SF2 units

    /// Absolute cents to hertz: 8.1758 Hz * 2^(cents/1200) (cent 6900 is A440).
    @_noLocks
    @inline(__always)
    public static func centsToHertz(_ cents: Double) -> Double {
        440.0 * exp2((cents - 6900.0) * (1.0 / 1200.0))
    }

    /// Centibels of attenuation to linear gain, 10^(-cB/200); 0 at or beyond 1441 cB and 1 at
    /// negative attenuation, like FluidSynth's `fluid_cb2amp`.
    @_noLocks
    @inline(__always)
    public static func centibelsToGain(_ centibels: Double) -> Double {
        if centibels <= 0 { return 1 }
        if centibels >= 1441 { return 0 }
        return exp2(centibels * (-3.32192809488736234787031942949 / 200.0))  // -log2(10)/200
    }

    /// Timecents to seconds, 2^(tc/1200).
    @_noLocks
    @inline(__always)
    public static func timecentsToSeconds(_ timecents: Double) -> Double {
        exp2(timecents * (1.0 / 1200.0))
    }

    /// Linear gain to centibels of attenuation, -200 log10(gain).
    @_noLocks
    @inline(__always)
    public static func gainToCentibels(_ gain: Double) -> Double {
        -200.0 * 0.301029995663981195213738894724 * log2(gain)  // log10(x) = log2(x) * log10(2)
    }
}
