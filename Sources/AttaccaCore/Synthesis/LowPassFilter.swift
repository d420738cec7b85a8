/// The SF2 resonant low-pass: FluidSynth's biquad (`fluid_iir_filter.c`, RBJ cookbook low-pass)
/// with Q in cB reduced by 3.01 dB and the passband gain divided by sqrt(Q). When the cutoff
/// moves, coefficients glide to the new values across the next sub-block so sweeps do not click:
/// frame by frame for voices filtered alone or in pairs, once every four frames in the four-voice
/// groups (a per-frame glide there cost 10–16 % more instructions on dense.mid; gliding in four
/// steps a sub-block, as before, left sidebands at multiples of rate / 16 around every partial).
///
/// Open filters run once for all their voices: a voice whose filter is at the 13500-cent maximum
/// with Q at 0 dB and cannot move (no LFO or envelope on the cutoff), at 44.1 kHz or more, mixes
/// its samples × `gain` into the synthesizer's open bus (`Voice.prepare` sets `isBypassed`), and
/// the bus runs the same biquad (`openBus`), which is linear, so the sum is what FluidSynth, which
/// runs it on every voice, gives: near Nyquist, where the biquad has its zero, too.
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
    var lastCutoffCents: Double = -1
    var started = false
    /// The coefficients are those of an open filter (see above).
    var isOpen = false
    /// The voice mixes its samples × `gain` without running the biquad.
    var isBypassed = false

    /// Resets state for a new note with resonance `centibels` (the initialFilterQ sum).
    @_noLocks
    mutating func start(qCentibels: Float) {
        history1 = 0
        history2 = 0
        started = false
        isGliding = false
        isOpen = false
        isBypassed = false
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
        if cents == lastCutoffCents && lastCutoff >= 0 { return }
        lastCutoffCents = cents
        var hertz = FastMath.centsToHertz(cents)
        // Q 0 dB is 10^(-3.01/20) = 0.70715; below 44.1 kHz the 0.45 × rate limit is audible.
        isOpen = cents >= 13500 && qLinear < 0.7072 && sampleRate >= 44100
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

    /// The filter of every open voice, for their sum (see the type's comment): 13500 cents (at most
    /// 0.45 × the rate), Q 0 dB, without the 1/sqrt(Q) passband gain the voices apply as they mix.
    static func openBus(sampleRate: Double) -> LowPassFilter {
        var filter = LowPassFilter()
        filter.start(qCentibels: 0)
        filter.update(cutoffCents: 13500, sampleRate: sampleRate, count: 0)
        let unity = Float(1 / filter.gain)
        filter.b1 *= unity
        filter.b02 *= unity
        filter.targetB1 = filter.b1
        filter.targetB02 = filter.b02
        return filter
    }

    /// The open bus through `left`'s and `right`'s biquads (the same coefficients, `openBus`) as
    /// one SIMD2 recursion, added to the output: half the instructions of two runs and a mix.
    @_noLocks
    @inline(__always)
    static func mixOpenBus(_ left: inout LowPassFilter, _ right: inout LowPassFilter,
                           busLeft: UnsafeMutablePointer<Float>, busRight: UnsafeMutablePointer<Float>, count: Int,
                           outLeft: UnsafeMutablePointer<Float>, outRight: UnsafeMutablePointer<Float>) {
        let a1 = left.a1, a2 = left.a2, b1 = left.b1, b02 = left.b02
        var h1 = SIMD2<Float>(left.history1, right.history1), h2 = SIMD2<Float>(left.history2, right.history2)
        var i = 0
        while i < count {
            let x = SIMD2<Float>(busLeft[i], busRight[i])
            let center = (x - a2 * h2) - a1 * h1
            let y = b02 * (center + h2) + b1 * h1
            h2 = h1
            h1 = center
            outLeft[i] += y[0]
            outRight[i] += y[1]
            i += 1
        }
        left.history1 = h1[0]; left.history2 = h2[0]
        right.history1 = h1[1]; right.history2 = h2[1]
    }

    /// Starts or stops bypassing. On the way back the history starts at zero: the open bus's
    /// biquad holds the voice's past and rings it out, so (the biquad being linear) the two add up
    /// to one biquad that ran all along.
    @_noLocks
    @inline(__always)
    mutating func setBypassed(_ bypassed: Bool) {
        if bypassed == isBypassed { return }
        isBypassed = bypassed
        if !bypassed {
            history1 = 0
            history2 = 0
        }
    }

    /// Whether the history still holds sound above −180 dBFS (the open bus runs until it does not,
    /// then stops at exactly zero rather than decaying through denormals: one sub-block takes the
    /// open biquad's memory from full scale below that).
    @_noLocks
    @inline(__always)
    func isRinging() -> Bool {
        let level = (history1 < 0 ? -history1 : history1) + (history2 < 0 ? -history2 : history2)
        return level > 1e-9
    }

    /// Filters `count` samples in place; `span` is the sub-block length the glide spreads over.
    @_noLocks
    @inline(__always)
    mutating func process(_ buffer: UnsafeMutablePointer<Float>, count: Int, span: Int) {
        if !isGliding {
            run(buffer, 0, count)
            return
        }
        let step = steps(span: span)
        var h1 = history1, h2 = history2
        var a1 = a1, a2 = a2, b1 = b1, b02 = b02
        var i = 0
        while i < count {
            if i & 3 == 0 { a1 += 4 * step.0; a2 += 4 * step.1; b1 += 4 * step.2; b02 += 4 * step.3 }
            let partial = buffer[i] - a2 * h2
            let center = partial - a1 * h1
            buffer[i] = b02 * (center + h2) + b1 * h1
            h2 = h1
            h1 = center
            i += 1
        }
        history1 = h1
        history2 = h2
        arrive()
    }

    /// Per-frame steps that bring the coefficients to their targets on the `span`th frame (zero
    /// when not gliding); every path adds four of them at frames 0, 4, 8, …, so a voice sounds
    /// the same whichever group it is mixed in. FluidSynth glides frame by frame
    /// (`fluid_iir_filter_apply`'s increments); the former four steps a sub-block put sidebands
    /// at multiples of rate / 16 around every partial of a sweeping filter (−94 dB, FluidR3's
    /// "Echo Drops", whose modulation envelope sweeps the cutoff for seconds), sixteen put them at
    /// multiples of rate / 4 and 12 dB lower.
    @_noLocks
    @inline(__always)
    func steps(span: Int) -> (Float, Float, Float, Float) {
        guard isGliding, span > 0 else { return (0, 0, 0, 0) }
        let scale = 1 / Float(span)
        return ((targetA1 - a1) * scale, (targetA2 - a2) * scale, (targetB1 - b1) * scale, (targetB02 - b02) * scale)
    }

    /// The coefficients at their targets: the glide is over.
    @_noLocks
    @inline(__always)
    mutating func arrive() {
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

    /// Filters two voices' buffers of equal length in one loop and mixes both into the output
    /// with their gain ramps (`ramp*` are start and per-frame step for left and right). Each
    /// biquad's recursion is a latency chain; two independent chains side by side, with the
    /// mixing filling the gaps, take little more time than one.
    @_noLocks
    @inline(__always)
    static func processPairAndMix(_ a: inout LowPassFilter, _ x: UnsafeMutablePointer<Float>,
                                  _ b: inout LowPassFilter, _ y: UnsafeMutablePointer<Float>, count: Int, span: Int,
                                  rampA: (Float, Float, Float, Float), rampB: (Float, Float, Float, Float),
                                  left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        // Coefficients glide frame by frame (`steps`: zero for a filter that stands still).
        let gliding = a.isGliding || b.isGliding
        let stepA = a.steps(span: span), stepB = b.steps(span: span)
        var aa1 = a.a1, aa2 = a.a2, ab1 = a.b1, ab02 = a.b02
        var ba1 = b.a1, ba2 = b.a2, bb1 = b.b1, bb02 = b.b02
        var ha1 = a.history1, ha2 = a.history2, hb1 = b.history1, hb2 = b.history2
        // Running gains, one step added per frame.
        var leftA = rampA.0, rightA = rampA.2, leftB = rampB.0, rightB = rampB.2
        let leftStepA = rampA.1, rightStepA = rampA.3, leftStepB = rampB.1, rightStepB = rampB.3
        var i = 0
        while i < count {
            if gliding && i & 3 == 0 {
                aa1 += 4 * stepA.0; aa2 += 4 * stepA.1; ab1 += 4 * stepA.2; ab02 += 4 * stepA.3
                ba1 += 4 * stepB.0; ba2 += 4 * stepB.1; bb1 += 4 * stepB.2; bb02 += 4 * stepB.3
            }
            let pa = x[i] - aa2 * ha2, pb = y[i] - ba2 * hb2
            let ca = pa - aa1 * ha1, cb = pb - ba1 * hb1
            let outA = ab02 * (ca + ha2) + ab1 * ha1
            let outB = bb02 * (cb + hb2) + bb1 * hb1
            ha2 = ha1; ha1 = ca
            hb2 = hb1; hb1 = cb
            leftA += leftStepA; rightA += rightStepA
            leftB += leftStepB; rightB += rightStepB
            left[i] += outA * leftA + outB * leftB
            right[i] += outA * rightA + outB * rightB
            i += 1
        }
        a.history1 = ha1; a.history2 = ha2
        b.history1 = hb1; b.history2 = hb2
        if a.isGliding { a.arrive() }
        if b.isGliding { b.arrive() }
    }

    /// `processPairAndMix` that leaves the filtered points in `x` and `y` (their inputs are
    /// consumed) for the voices' send mix (`Voice.mixSends`). A separate copy so the dry path stays
    /// exactly as it was when neither voice sends anything.
    @_noLocks
    @inline(__always)
    static func processPairAndMixWithSends(_ a: inout LowPassFilter, _ x: UnsafeMutablePointer<Float>,
                                  _ b: inout LowPassFilter, _ y: UnsafeMutablePointer<Float>, count: Int, span: Int,
                                  rampA: (Float, Float, Float, Float), rampB: (Float, Float, Float, Float),
                                  left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        // Coefficients glide frame by frame (`steps`: zero for a filter that stands still).
        let gliding = a.isGliding || b.isGliding
        let stepA = a.steps(span: span), stepB = b.steps(span: span)
        var aa1 = a.a1, aa2 = a.a2, ab1 = a.b1, ab02 = a.b02
        var ba1 = b.a1, ba2 = b.a2, bb1 = b.b1, bb02 = b.b02
        var ha1 = a.history1, ha2 = a.history2, hb1 = b.history1, hb2 = b.history2
        // Running gains, one step added per frame.
        var leftA = rampA.0, rightA = rampA.2, leftB = rampB.0, rightB = rampB.2
        let leftStepA = rampA.1, rightStepA = rampA.3, leftStepB = rampB.1, rightStepB = rampB.3
        var i = 0
        while i < count {
            if gliding && i & 3 == 0 {
                aa1 += 4 * stepA.0; aa2 += 4 * stepA.1; ab1 += 4 * stepA.2; ab02 += 4 * stepA.3
                ba1 += 4 * stepB.0; ba2 += 4 * stepB.1; bb1 += 4 * stepB.2; bb02 += 4 * stepB.3
            }
            let pa = x[i] - aa2 * ha2, pb = y[i] - ba2 * hb2
            let ca = pa - aa1 * ha1, cb = pb - ba1 * hb1
            let outA = ab02 * (ca + ha2) + ab1 * ha1
            let outB = bb02 * (cb + hb2) + bb1 * hb1
            ha2 = ha1; ha1 = ca
            hb2 = hb1; hb1 = cb
            leftA += leftStepA; rightA += rightStepA
            leftB += leftStepB; rightB += rightStepB
            left[i] += outA * leftA + outB * leftB
            right[i] += outA * rightA + outB * rightB
            x[i] = outA
            y[i] = outB
            i += 1
        }
        a.history1 = ha1; a.history2 = ha2
        b.history1 = hb1; b.history2 = hb2
        if a.isGliding { a.arrive() }
        if b.isGliding { b.arrive() }
    }

    /// Filters and mixes four voices' full sub-blocks at once: the four biquads run in the
    /// lanes of one SIMD4 recursion, so the latency chain is shared by four voices.
    /// `buffers` holds four consecutive 64-point scratch blocks in `slots` order. The products
    /// with the gains stay in their lanes: `laneLeft[i]`/`laneRight[i]` accumulate them per frame
    /// (no shuffles), and the caller sums the lanes into the output once per sub-block
    /// (`Synthesizer.sumLanes`).
    @_noLocks
    @inline(__always)
    static func processQuadAndMix(_ voices: UnsafeMutablePointer<Voice>, _ slots: UnsafeMutablePointer<Int>,
                                  _ buffers: UnsafeMutablePointer<Float>, count: Int,
                                  laneLeft: UnsafeMutablePointer<SIMD4<Float>>, laneRight: UnsafeMutablePointer<SIMD4<Float>>) {
        let v0 = voices + slots[0], v1 = voices + slots[1], v2 = voices + slots[2], v3 = voices + slots[3]
        let x0 = buffers, x1 = buffers + 64, x2 = buffers + 128, x3 = buffers + 192
        let r0 = v0.pointee.gainRamp(count: count), r1 = v1.pointee.gainRamp(count: count)
        let r2 = v2.pointee.gainRamp(count: count), r3 = v3.pointee.gainRamp(count: count)
        var gainLeft = SIMD4<Float>(r0.0, r1.0, r2.0, r3.0), gainRight = SIMD4<Float>(r0.2, r1.2, r2.2, r3.2)
        let stepLeft = SIMD4<Float>(r0.1, r1.1, r2.1, r3.1), stepRight = SIMD4<Float>(r0.3, r1.3, r2.3, r3.3)
        // Coefficients glide frame by frame (`steps`: zero for a filter that stands still).
        let gliding = v0.pointee.filter.isGliding || v1.pointee.filter.isGliding
            || v2.pointee.filter.isGliding || v3.pointee.filter.isGliding
        let f0 = v0.pointee.filter.coefficients, f1 = v1.pointee.filter.coefficients
        let f2 = v2.pointee.filter.coefficients, f3 = v3.pointee.filter.coefficients
        var a1 = SIMD4<Float>(f0.0, f1.0, f2.0, f3.0), a2 = SIMD4<Float>(f0.1, f1.1, f2.1, f3.1)
        var b1 = SIMD4<Float>(f0.2, f1.2, f2.2, f3.2), b02 = SIMD4<Float>(f0.3, f1.3, f2.3, f3.3)
        let g0 = v0.pointee.filter.steps(span: count), g1 = v1.pointee.filter.steps(span: count)
        let g2 = v2.pointee.filter.steps(span: count), g3 = v3.pointee.filter.steps(span: count)
        // Four frames' worth: the glide moves once every four frames (`steps`; frame by frame
        // cost 10–16 % more instructions on dense.mid, in registers these loops do not have).
        let stepA1 = SIMD4<Float>(g0.0, g1.0, g2.0, g3.0) * 4, stepA2 = SIMD4<Float>(g0.1, g1.1, g2.1, g3.1) * 4
        let stepB1 = SIMD4<Float>(g0.2, g1.2, g2.2, g3.2) * 4, stepB02 = SIMD4<Float>(g0.3, g1.3, g2.3, g3.3) * 4
        var h1 = SIMD4<Float>(v0.pointee.filter.history1, v1.pointee.filter.history1,
                              v2.pointee.filter.history1, v3.pointee.filter.history1)
        var h2 = SIMD4<Float>(v0.pointee.filter.history2, v1.pointee.filter.history2,
                              v2.pointee.filter.history2, v3.pointee.filter.history2)
        var i = 0
        // Four frames at a time: each voice's four frames are loaded at once and transposed
        // into one vector per frame (lanes = voices).
        while i &+ 4 <= count {
            let q0 = UnsafeRawPointer(x0 + i).loadUnaligned(as: SIMD4<Float>.self)
            let q1 = UnsafeRawPointer(x1 + i).loadUnaligned(as: SIMD4<Float>.self)
            let q2 = UnsafeRawPointer(x2 + i).loadUnaligned(as: SIMD4<Float>.self)
            let q3 = UnsafeRawPointer(x3 + i).loadUnaligned(as: SIMD4<Float>.self)
            if gliding { a1 += stepA1; a2 += stepA2; b1 += stepB1; b02 += stepB02 }
            for k in 0..<4 {
                let x = SIMD4<Float>(q0[k], q1[k], q2[k], q3[k])
                let center = (x - a2 * h2) - a1 * h1
                let y = b02 * (center + h2) + b1 * h1
                h2 = h1
                h1 = center
                gainLeft += stepLeft
                gainRight += stepRight
                laneLeft[i &+ k] += y * gainLeft
                laneRight[i &+ k] += y * gainRight
            }
            i &+= 4
        }
        if gliding && i < count { a1 += stepA1; a2 += stepA2; b1 += stepB1; b02 += stepB02 }
        while i < count {
            let x = SIMD4<Float>(x0[i], x1[i], x2[i], x3[i])
            let center = (x - a2 * h2) - a1 * h1
            let y = b02 * (center + h2) + b1 * h1
            h2 = h1
            h1 = center
            gainLeft += stepLeft
            gainRight += stepRight
            laneLeft[i] += y * gainLeft
            laneRight[i] += y * gainRight
            i += 1
        }
        v0.pointee.filter.finishQuad(h1[0], h2[0])
        v1.pointee.filter.finishQuad(h1[1], h2[1])
        v2.pointee.filter.finishQuad(h1[2], h2[2])
        v3.pointee.filter.finishQuad(h1[3], h2[3])
    }

    /// `processQuadAndMix` that also mixes each voice into the reverb and chorus send lanes
    /// (`SendBuses.laneReverb`/`laneChorus`) with its send ramps, in a second pass over the
    /// filtered points kept in `SendBuses.quadFiltered`. A separate copy so the dry path stays
    /// exactly as it was when no voice of the group sends anything.
    @_noLocks
    @inline(__always)
    static func processQuadAndMixWithSends(_ voices: UnsafeMutablePointer<Voice>, _ slots: UnsafeMutablePointer<Int>,
                                  _ buffers: UnsafeMutablePointer<Float>, count: Int,
                                  laneLeft: UnsafeMutablePointer<SIMD4<Float>>, laneRight: UnsafeMutablePointer<SIMD4<Float>>,
                                  sends: SendBuses) {
        let v0 = voices + slots[0], v1 = voices + slots[1], v2 = voices + slots[2], v3 = voices + slots[3]
        let x0 = buffers, x1 = buffers + 64, x2 = buffers + 128, x3 = buffers + 192
        let r0 = v0.pointee.gainRamp(count: count), r1 = v1.pointee.gainRamp(count: count)
        let r2 = v2.pointee.gainRamp(count: count), r3 = v3.pointee.gainRamp(count: count)
        var gainLeft = SIMD4<Float>(r0.0, r1.0, r2.0, r3.0), gainRight = SIMD4<Float>(r0.2, r1.2, r2.2, r3.2)
        let stepLeft = SIMD4<Float>(r0.1, r1.1, r2.1, r3.1), stepRight = SIMD4<Float>(r0.3, r1.3, r2.3, r3.3)
        let e0 = v0.pointee.sendRamp(count: count), e1 = v1.pointee.sendRamp(count: count)
        let e2 = v2.pointee.sendRamp(count: count), e3 = v3.pointee.sendRamp(count: count)
        var gainReverb = SIMD4<Float>(e0.0, e1.0, e2.0, e3.0), gainChorus = SIMD4<Float>(e0.2, e1.2, e2.2, e3.2)
        let stepReverb = SIMD4<Float>(e0.1, e1.1, e2.1, e3.1), stepChorus = SIMD4<Float>(e0.3, e1.3, e2.3, e3.3)
        let laneReverb = sends.laneReverb, laneChorus = sends.laneChorus, filtered = sends.quadFiltered
        // Coefficients glide frame by frame (`steps`: zero for a filter that stands still).
        let gliding = v0.pointee.filter.isGliding || v1.pointee.filter.isGliding
            || v2.pointee.filter.isGliding || v3.pointee.filter.isGliding
        let f0 = v0.pointee.filter.coefficients, f1 = v1.pointee.filter.coefficients
        let f2 = v2.pointee.filter.coefficients, f3 = v3.pointee.filter.coefficients
        var a1 = SIMD4<Float>(f0.0, f1.0, f2.0, f3.0), a2 = SIMD4<Float>(f0.1, f1.1, f2.1, f3.1)
        var b1 = SIMD4<Float>(f0.2, f1.2, f2.2, f3.2), b02 = SIMD4<Float>(f0.3, f1.3, f2.3, f3.3)
        let g0 = v0.pointee.filter.steps(span: count), g1 = v1.pointee.filter.steps(span: count)
        let g2 = v2.pointee.filter.steps(span: count), g3 = v3.pointee.filter.steps(span: count)
        // Four frames' worth: the glide moves once every four frames (`steps`; frame by frame
        // cost 10–16 % more instructions on dense.mid, in registers these loops do not have).
        let stepA1 = SIMD4<Float>(g0.0, g1.0, g2.0, g3.0) * 4, stepA2 = SIMD4<Float>(g0.1, g1.1, g2.1, g3.1) * 4
        let stepB1 = SIMD4<Float>(g0.2, g1.2, g2.2, g3.2) * 4, stepB02 = SIMD4<Float>(g0.3, g1.3, g2.3, g3.3) * 4
        var h1 = SIMD4<Float>(v0.pointee.filter.history1, v1.pointee.filter.history1,
                              v2.pointee.filter.history1, v3.pointee.filter.history1)
        var h2 = SIMD4<Float>(v0.pointee.filter.history2, v1.pointee.filter.history2,
                              v2.pointee.filter.history2, v3.pointee.filter.history2)
        var i = 0
        // Four frames at a time: each voice's four frames are loaded at once and transposed
        // into one vector per frame (lanes = voices).
        while i &+ 4 <= count {
            let q0 = UnsafeRawPointer(x0 + i).loadUnaligned(as: SIMD4<Float>.self)
            let q1 = UnsafeRawPointer(x1 + i).loadUnaligned(as: SIMD4<Float>.self)
            let q2 = UnsafeRawPointer(x2 + i).loadUnaligned(as: SIMD4<Float>.self)
            let q3 = UnsafeRawPointer(x3 + i).loadUnaligned(as: SIMD4<Float>.self)
            if gliding { a1 += stepA1; a2 += stepA2; b1 += stepB1; b02 += stepB02 }
            for k in 0..<4 {
                let x = SIMD4<Float>(q0[k], q1[k], q2[k], q3[k])
                let center = (x - a2 * h2) - a1 * h1
                let y = b02 * (center + h2) + b1 * h1
                h2 = h1
                h1 = center
                gainLeft += stepLeft
                gainRight += stepRight
                laneLeft[i &+ k] += y * gainLeft
                laneRight[i &+ k] += y * gainRight
                filtered[i &+ k] = y
            }
            i &+= 4
        }
        if gliding && i < count { a1 += stepA1; a2 += stepA2; b1 += stepB1; b02 += stepB02 }
        while i < count {
            let x = SIMD4<Float>(x0[i], x1[i], x2[i], x3[i])
            let center = (x - a2 * h2) - a1 * h1
            let y = b02 * (center + h2) + b1 * h1
            h2 = h1
            h1 = center
            gainLeft += stepLeft
            gainRight += stepRight
            laneLeft[i] += y * gainLeft
            laneRight[i] += y * gainRight
            filtered[i] = y
            i += 1
        }
        // The sends in a second pass over the filtered points: in the first, eight more vectors
        // would not fit in the registers beside the filters' and the dry gains.
        // Each bus only when some voice of the group sends to it (fonts often set one send only).
        let zero = SIMD4<Float>()
        let toReverb = any(gainReverb .!= zero) || any(stepReverb .!= zero)
        let toChorus = any(gainChorus .!= zero) || any(stepChorus .!= zero)
        i = 0
        if toReverb && toChorus {
            while i < count {
                let y = filtered[i]
                gainReverb += stepReverb
                gainChorus += stepChorus
                laneReverb[i] += y * gainReverb
                laneChorus[i] += y * gainChorus
                i &+= 1
            }
        } else if toReverb {
            while i < count {
                gainReverb += stepReverb
                laneReverb[i] += filtered[i] * gainReverb
                i &+= 1
            }
        } else if toChorus {
            while i < count {
                gainChorus += stepChorus
                laneChorus[i] += filtered[i] * gainChorus
                i &+= 1
            }
        }
        v0.pointee.filter.finishQuad(h1[0], h2[0])
        v1.pointee.filter.finishQuad(h1[1], h2[1])
        v2.pointee.filter.finishQuad(h1[2], h2[2])
        v3.pointee.filter.finishQuad(h1[3], h2[3])
    }

    /// (a1, a2, b1, b02).
    var coefficients: (Float, Float, Float, Float) { (a1, a2, b1, b02) }

    /// Stores the history after a quad run and lands any glide on its targets.
    @_noLocks
    @inline(__always)
    mutating func finishQuad(_ h1: Float, _ h2: Float) {
        history1 = h1
        history2 = h2
        if isGliding {
            a1 = targetA1; a2 = targetA2; b1 = targetB1; b02 = targetB02
            isGliding = false
        }
    }
}
