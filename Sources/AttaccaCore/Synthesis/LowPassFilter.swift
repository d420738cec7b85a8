/// The SF2 resonant low-pass: FluidSynth's biquad (`fluid_iir_filter.c`, RBJ cookbook low-pass)
/// with Q in cB reduced by 3.01 dB and the passband gain divided by sqrt(Q). When the cutoff
/// moves, coefficients glide to the new values across the next sub-block (in four steps) so
/// sweeps do not click.
struct LowPassFilter {
    var b02: Float = 0
    var b1: Float = 0
    var a1: Float = 0
    var a2: Float = 0
    var targetB02: Float = 0
    var targetB1: Float = 0
    var targetA1: Float = 0
    var targetA2: Float = 0
    /// The targets differ from the current coefficients.
    var isGliding = false
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
        isGliding = false
        lastCutoff = -1
        qLinear = -1
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

    /// Sets the cutoff (absolute cents) for the next sub-block; the coefficients reach it at the
    /// sub-block's end (immediately on the first call after `start`).
    @_noLocks
    @inline(__always)
    mutating func update(cutoffCents: Double, sampleRate: Double, count: Int) {
        var cents = cutoffCents
        if cents > 13500 { cents = 13500 } else if cents < 1500 { cents = 1500 }
        var hertz = FastMath.centsToHertz(cents)
        if hertz > 0.45 * sampleRate { hertz = 0.45 * sampleRate } else if hertz < 5 { hertz = 5 }
        guard (hertz - lastCutoff).magnitude > 0.01 else { return }
        lastCutoff = hertz
        let omega = 2 * 3.14159265358979323846 * hertz / sampleRate
        let sine = FastMath.sin(omega), cosine = FastMath.cos(omega)
        let alpha = sine / (2 * qLinear)
        let a0Inverse = 1 / (1 + alpha)
        targetA1 = Float(-2 * cosine * a0Inverse)
        targetA2 = Float((1 - alpha) * a0Inverse)
        targetB1 = Float((1 - cosine) * a0Inverse * gain)
        targetB02 = targetB1 * 0.5
        if !started || count <= 0 {
            started = true
            a1 = targetA1; a2 = targetA2; b1 = targetB1; b02 = targetB02
            isGliding = false
        } else {
            isGliding = true
        }
    }

    /// Filters `count` samples in place; `span` is the sub-block length the glide spreads over.
    @_noLocks
    @inline(__always)
    mutating func process(_ buffer: UnsafeMutablePointer<Float>, count: Int, span: Int) {
        if !isGliding {
            run(buffer, 0, count)
            return
        }
        let startA1 = a1, startA2 = a2, startB1 = b1, startB02 = b02
        let segment = (span + 3) / 4
        var from = 0
        while from < count {
            let to = min(from + segment, count)
            // Coefficients for this quarter: the glide's value at the quarter's end.
            let t = Float(min(from + segment, span)) / Float(span)
            a1 = startA1 + (targetA1 - startA1) * t
            a2 = startA2 + (targetA2 - startA2) * t
            b1 = startB1 + (targetB1 - startB1) * t
            b02 = startB02 + (targetB02 - startB02) * t
            run(buffer, from, to)
            from = to
        }
        a1 = targetA1; a2 = targetA2; b1 = targetB1; b02 = targetB02
        isGliding = false
    }

    /// The biquad over buffer[from..<to] with fixed coefficients (direct form I, as FluidSynth).
    @_noLocks
    @inline(__always)
    mutating func run(_ buffer: UnsafeMutablePointer<Float>, _ from: Int, _ to: Int) {
        var h1 = history1, h2 = history2
        let a1 = a1, a2 = a2, b1 = b1, b02 = b02
        var i = from
        while i < to {
            // x - a2·h2 does not depend on the previous sample's result: only a1·h1 is on the
            // recursive path, which keeps the loop's latency chain to one multiply and one add.
            let partial = buffer[i] - a2 * h2
            let center = partial - a1 * h1
            buffer[i] = b02 * (center + h2) + b1 * h1
            h2 = h1
            h1 = center
            i += 1
        }
        history1 = h1
        history2 = h2
    }
}
