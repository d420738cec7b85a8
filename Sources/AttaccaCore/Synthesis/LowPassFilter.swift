/// The SF2 resonant low-pass: FluidSynth's biquad (`fluid_iir_filter.c`, RBJ cookbook low-pass)
/// with Q in cB reduced by 3.01 dB and the passband gain divided by sqrt(Q). When the cutoff
/// moves, coefficients glide linearly to the new values across the next sub-block so sweeps do
/// not click.
struct LowPassFilter {
    var b02: Float = 0
    var b1: Float = 0
    var a1: Float = 0
    var a2: Float = 0
    var b02Step: Float = 0
    var b1Step: Float = 0
    var a1Step: Float = 0
    var a2Step: Float = 0
    var history1: Float = 0
    var history2: Float = 0
    var qLinear: Double = 0.7071
    var gain: Double = 1
    var lastCutoff: Double = -1
    var started = false

    /// Resets state for a new note with resonance `centibels` (the initialFilterQ sum).
    @_noLocks
    mutating func start(qCentibels: Float) {
        history1 = 0
        history2 = 0
        started = false
        lastCutoff = -1
        setQ(qCentibels)
    }

    @_noLocks
    mutating func setQ(_ centibels: Float) {
        var dB = Double(centibels) / 10
        dB = dB < 0 ? 0 : (dB > 96 ? 96 : dB)
        dB -= 3.01
        let q = FastMath.exp2(dB / 20 * 3.32192809488736234787)  // 10^(dB/20)
        if q != qLinear {
            qLinear = q
            gain = FastMath.exp2(-0.5 * FastMath.log2(q))  // 1/sqrt(q)
            lastCutoff = -1
        }
    }

    /// Sets the cutoff (absolute cents) for the next `count` samples; new coefficients are
    /// reached at the end of them (immediately on the first call after `start`).
    @_noLocks
    @inline(__always)
    mutating func update(cutoffCents: Double, sampleRate: Double, count: Int) {
        var cents = cutoffCents
        if cents > 13500 { cents = 13500 } else if cents < 1500 { cents = 1500 }
        var hertz = FastMath.centsToHertz(cents)
        if hertz > 0.45 * sampleRate { hertz = 0.45 * sampleRate } else if hertz < 5 { hertz = 5 }
        let changed = (hertz - lastCutoff).magnitude > 0.01
        if !changed {
            if b02Step != 0 || b1Step != 0 || a1Step != 0 || a2Step != 0 {
                b02Step = 0; b1Step = 0; a1Step = 0; a2Step = 0
            }
            return
        }
        lastCutoff = hertz
        let omega = 2 * 3.14159265358979323846 * hertz / sampleRate
        let sine = FastMath.sin(omega), cosine = FastMath.cos(omega)
        let alpha = sine / (2 * qLinear)
        let a0Inverse = 1 / (1 + alpha)
        let newA1 = Float(-2 * cosine * a0Inverse)
        let newA2 = Float((1 - alpha) * a0Inverse)
        let newB1 = Float((1 - cosine) * a0Inverse * gain)
        let newB02 = newB1 * 0.5
        if !started || count <= 0 {
            started = true
            a1 = newA1; a2 = newA2; b1 = newB1; b02 = newB02
            a1Step = 0; a2Step = 0; b1Step = 0; b02Step = 0
        } else {
            let n = Float(count)
            a1Step = (newA1 - a1) / n
            a2Step = (newA2 - a2) / n
            b1Step = (newB1 - b1) / n
            b02Step = (newB02 - b02) / n
        }
    }
}
