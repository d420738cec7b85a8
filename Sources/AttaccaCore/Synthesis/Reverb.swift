/// A stereo plate reverb after Jon Dattorro, "Effect Design Part 1: Reverberator and Other
/// Filters" (J. Audio Eng. Soc. 45(9), 1997), figure 1 and tables 1 and 2: mono in, a bandwidth
/// low-pass and four input diffusers, then a "figure-eight" tank of two cross-fed halves, each an
/// all-pass, a delay, a damping low-pass, the decay gain, an all-pass and a delay; the stereo
/// output is the sum of seven taps per side read inside the tank. Why this one: docs/EFFECTS.md.
///
/// Parameters map as FluidSynth 2.4+'s Dattorro engine (`fluid_rev_dattorro.cpp`): decay
/// 0.2 + 0.78 × room size, damping as the tank low-pass's feedback coefficient, the output
/// mixed by level and width (wet1, wet2), the input trimmed by 0.6. The tank all-passes are not
/// modulated (the paper's 1 Hz excursion), as FluidSynth's.
///
/// All delay lines are one block allocated in `init` for the sample rate; `process` never
/// allocates, locks or calls C. Once its output has stayed below -140 dB with no input for a
/// whole tank loop it clears its lines and reports `isIdle`, so the caller can skip it (and no
/// denormals build up in the feedback).
public struct Reverb: ~Copyable {
    /// The paper's sample rate, for which its delay lengths are given.
    static let paperRate = 29761.0
    /// Table 1: input diffusers (142, 107 at 0.75; 379, 277 at 0.625), then per tank half a
    /// decay diffuser, a delay, a second decay diffuser, a delay (left: 672, 4453, 1800, 3720;
    /// right: 908, 4217, 2656, 3163).
    static let paperLengths = [142, 107, 379, 277, 672, 4453, 1800, 3720, 908, 4217, 2656, 3163]
    /// Table 2: left output taps (266 and 2974 in the right half's first delay, 1913 in its second
    /// diffuser, 1996 in its second delay, then 1990, 187, 1066 in the left half's first delay,
    /// second diffuser, second delay), right output taps (353, 3627, 1228, 2673 in the left
    /// half, 2111, 335, 121 in the right half).
    static let paperTaps = [266, 2974, 1913, 1996, 1990, 187, 1066, 353, 3627, 1228, 2673, 2111, 335, 121]
    static let inputTrim: Float = 0.6
    static let bandwidth: Float = 0.9995
    static let inputDiffusion1: Float = 0.75
    static let inputDiffusion2: Float = 0.625
    /// The first decay diffuser's sign is reversed in the paper's figure.
    static let decayDiffusion1: Float = -0.70

    public let settings: ReverbSettings
    let storage: UnsafeMutablePointer<Float>
    let storageCount: Int
    var input1: DelayLine, input2: DelayLine, input3: DelayLine, input4: DelayLine
    var leftDiffuser1: DelayLine, leftDelay1: DelayLine, leftDiffuser2: DelayLine, leftDelay2: DelayLine
    var rightDiffuser1: DelayLine, rightDelay1: DelayLine, rightDiffuser2: DelayLine, rightDelay2: DelayLine
    /// Output tap ages in frames at this rate, `paperTaps` order.
    let taps: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)
    let decay: Float
    let decayDiffusion2: Float
    let damping: Float
    let wet1: Float, wet2: Float
    var bandwidthState: Float = 0
    var leftDampState: Float = 0
    var rightDampState: Float = 0
    /// The tank halves' last outputs, fed across to the other half on the next frame.
    var leftLast: Float = 0
    var rightLast: Float = 0
    /// Frames in a row with no input and an output below `quietLevel`.
    var quietFrames = 0
    /// A whole loop through both tank halves.
    let idleAfterFrames: Int
    public private(set) var isIdle = true
    /// Scratch for one chunk: seven 64-frame buffers.
    let work: UnsafeMutablePointer<Float>
    /// The longest chunk `process` may run stage by stage (see there).
    let chunkLimit: Int

    static let quietLevel: Float = 1e-7

    public init(settings: ReverbSettings, sampleRate: Int) {
        self.settings = settings
        let scale = Double(sampleRate) / Self.paperRate
        let lengths = Self.paperLengths.map { max(Int((Double($0) * scale).rounded()), 1) }
        storageCount = lengths.reduce(0, +)
        storage = .allocate(capacity: storageCount)
        storage.initialize(repeating: 0, count: storageCount)
        var offset = 0
        var lines: [DelayLine] = []
        for length in lengths {
            lines.append(DelayLine(buffer: storage + offset, length: length))
            offset += length
        }
        input1 = lines[0]; input2 = lines[1]; input3 = lines[2]; input4 = lines[3]
        leftDiffuser1 = lines[4]; leftDelay1 = lines[5]; leftDiffuser2 = lines[6]; leftDelay2 = lines[7]
        rightDiffuser1 = lines[8]; rightDelay1 = lines[9]; rightDiffuser2 = lines[10]; rightDelay2 = lines[11]
        // Each tap reads a line shorter than the tap's own at the paper's rate: clamp to the line.
        let tapLines = [9, 9, 10, 11, 5, 6, 7, 5, 5, 6, 7, 9, 10, 11]
        let t = zip(Self.paperTaps, tapLines).map { tap, line in
            min(max(Int((Double(tap) * scale).rounded()), 0), lengths[line] - 1)
        }
        taps = (t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13])
        let room = min(max(settings.roomSize, 0), 1)
        decay = Float(0.2 + 0.78 * room)
        decayDiffusion2 = min(max(decay + 0.15, 0.25), 0.5)
        damping = Float(min(max(settings.damping, 0), 1))
        let width = min(max(settings.width, 0), 100), level = min(max(settings.level, 0), 1)
        let wet = level / (1 + width * 0.2)
        wet1 = Float(wet * (width / 2 + 0.5))
        wet2 = Float(wet * ((1 - width) / 2))
        idleAfterFrames = lengths[4...].reduce(0, +)
        work = .allocate(capacity: 7 * 64)
        work.initialize(repeating: 0, count: 7 * 64)
        let tapMargins = zip(t, tapLines).map { tap, line in lengths[line] - tap }
        chunkLimit = max(1, min(64, lengths.min() ?? 1, tapMargins.min() ?? 1))
    }

    deinit {
        storage.deallocate()
        work.deallocate()
    }

    /// Adds the reverberation of the mono `input` (`count` frames) to `left` and `right`.
    ///
    /// Runs in chunks no longer than any delay line (nor than any tap's distance from its line's
    /// end), stage by stage over the chunk: every delay in the plate is longer than the chunk, so
    /// what a stage reads was written before the chunk began and the order of the frames within
    /// a stage does not matter. Per frame the result is the figure's, sample by sample.
    @_noLocks
    public mutating func process(_ input: UnsafePointer<Float>, count: Int,
                                 left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        var inputPeak: Float = 0, outputPeak: Float = 0
        var done = 0
        while done < count {
            let n = min(count - done, chunkLimit)
            let peaks = processChunk(input + done, n, left + done, right + done)
            inputPeak = max(inputPeak, peaks.0)
            outputPeak = max(outputPeak, peaks.1)
            done += n
        }
        if inputPeak < Self.quietLevel && outputPeak < Self.quietLevel {
            quietFrames += count
            if quietFrames >= idleAfterFrames && !isIdle { clear() }
        } else {
            quietFrames = 0
            isIdle = false
        }
    }

    /// One chunk of `n` <= `chunkLimit` frames; returns the input and output peaks.
    @_noLocks
    @inline(__always)
    mutating func processChunk(_ x: UnsafePointer<Float>, _ n: Int,
                               _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>) -> (Float, Float) {
        let d = work, l = work + 64, r = work + 128, leftOut = work + 192, rightOut = work + 256
        let yl = work + 320, yr = work + 384
        let inputPeak = FastMath.peak(x, n)
        var state = bandwidthState
        for i in 0..<n {
            state += Self.bandwidth * (x[i] * Self.inputTrim - state)
            d[i] = state
        }
        bandwidthState = state
        Self.allpass(&input1, d, n, Self.inputDiffusion1)
        Self.allpass(&input2, d, n, Self.inputDiffusion1)
        Self.allpass(&input3, d, n, Self.inputDiffusion2)
        Self.allpass(&input4, d, n, Self.inputDiffusion2)
        // What the tank halves' last delays give out during the chunk (written before it).
        Self.read(leftDelay2, n, into: leftOut)
        Self.read(rightDelay2, n, into: rightOut)
        let decay = decay
        l[0] = d[0] + decay * rightLast
        r[0] = d[0] + decay * leftLast
        for i in 1..<max(n, 1) {
            l[i] = d[i] + decay * rightOut[i - 1]
            r[i] = d[i] + decay * leftOut[i - 1]
        }
        leftLast = leftOut[n - 1]
        rightLast = rightOut[n - 1]
        Self.allpass(&leftDiffuser1, l, n, Self.decayDiffusion1)
        Self.allpass(&rightDiffuser1, r, n, Self.decayDiffusion1)
        Self.delay(&leftDelay1, l, n)
        Self.delay(&rightDelay1, r, n)
        let damping = damping
        var leftDamp = leftDampState, rightDamp = rightDampState
        for i in 0..<n {
            leftDamp = l[i] + damping * (leftDamp - l[i])
            rightDamp = r[i] + damping * (rightDamp - r[i])
            l[i] = decay * leftDamp
            r[i] = decay * rightDamp
        }
        leftDampState = leftDamp
        rightDampState = rightDamp
        Self.allpass(&leftDiffuser2, l, n, decayDiffusion2)
        Self.allpass(&rightDiffuser2, r, n, decayDiffusion2)
        Self.delay(&leftDelay2, l, n)
        Self.delay(&rightDelay2, r, n)
        // Output taps (table 2), each frame reading the lines as they stood after its own write.
        yl.update(repeating: 0, count: n)
        yr.update(repeating: 0, count: n)
        let t = taps
        Self.tap(rightDelay1, t.0, n, 1, yl); Self.tap(rightDelay1, t.1, n, 1, yl); Self.tap(rightDiffuser2, t.2, n, -1, yl)
        Self.tap(rightDelay2, t.3, n, 1, yl); Self.tap(leftDelay1, t.4, n, -1, yl); Self.tap(leftDiffuser2, t.5, n, -1, yl)
        Self.tap(leftDelay2, t.6, n, -1, yl)
        Self.tap(leftDelay1, t.7, n, 1, yr); Self.tap(leftDelay1, t.8, n, 1, yr); Self.tap(leftDiffuser2, t.9, n, -1, yr)
        Self.tap(leftDelay2, t.10, n, 1, yr); Self.tap(rightDelay1, t.11, n, -1, yr); Self.tap(rightDiffuser2, t.12, n, -1, yr)
        Self.tap(rightDelay2, t.13, n, -1, yr)
        return (inputPeak, WidthMix.add(yl, yr, n, wet1, wet2, left, right))
    }

    /// `line` as an all-pass over `n` points of `x`, in place. In at most two runs of
    /// consecutive slots (before and after the ring wraps), so the loops carry no wrap test.
    @_noLocks
    @inline(__always)
    static func allpass(_ line: inout DelayLine, _ x: UnsafeMutablePointer<Float>, _ n: Int, _ g: Float) {
        let first = min(n, line.length - line.position)
        allpassRun(line.buffer + line.position, x, first, g)
        if first < n { allpassRun(line.buffer, x + first, n - first, g) }
        line.position = first < n ? n - first : (line.position + n == line.length ? 0 : line.position + n)
    }

    /// The all-pass over `count` consecutive slots, four frames per step: within a chunk no frame
    /// reads what another wrote (every line is at least a chunk long), so the lanes are independent
    /// and the result is the scalar loop's, bit for bit.
    @_noLocks
    @inline(__always)
    static func allpassRun(_ slot: UnsafeMutablePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ count: Int, _ g: Float) {
        let gain = SIMD4<Float>(repeating: g)
        var i = 0
        while i &+ 4 <= count {
            let delayed = UnsafeRawPointer(slot + i).loadUnaligned(as: SIMD4<Float>.self)
            let w = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Float>.self) - gain * delayed
            UnsafeMutableRawPointer(slot + i).storeBytes(of: w, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(x + i).storeBytes(of: delayed + gain * w, as: SIMD4<Float>.self)
            i &+= 4
        }
        while i < count {
            let delayed = slot[i]
            let w = x[i] - g * delayed
            slot[i] = w
            x[i] = delayed + g * w
            i &+= 1
        }
    }

    /// Swaps `count` values of `a` and `b`, four per step.
    @_noLocks
    @inline(__always)
    static func swapRun(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i &+ 4 <= count {
            let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Float>.self)
            let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(a + i).storeBytes(of: vb, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(b + i).storeBytes(of: va, as: SIMD4<Float>.self)
            i &+= 4
        }
        while i < count {
            let t = a[i]
            a[i] = b[i]
            b[i] = t
            i &+= 1
        }
    }

    /// `out[i] = x[i]` for `count` values, four per step.
    @_noLocks
    @inline(__always)
    static func copyRun(_ x: UnsafePointer<Float>, _ count: Int, _ out: UnsafeMutablePointer<Float>) {
        var i = 0
        while i &+ 4 <= count {
            UnsafeMutableRawPointer(out + i).storeBytes(of: UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Float>.self),
                                                        as: SIMD4<Float>.self)
            i &+= 4
        }
        while i < count {
            out[i] = x[i]
            i &+= 1
        }
    }

    /// `out[i] += sign × x[i]` for `count` values, four per step.
    @_noLocks
    @inline(__always)
    static func addRun(_ x: UnsafePointer<Float>, _ count: Int, _ sign: Float, _ out: UnsafeMutablePointer<Float>) {
        let s = SIMD4<Float>(repeating: sign)
        var i = 0
        while i &+ 4 <= count {
            let o = UnsafeMutableRawPointer(out + i)
            o.storeBytes(of: o.loadUnaligned(as: SIMD4<Float>.self) + s * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Float>.self),
                         as: SIMD4<Float>.self)
            i &+= 4
        }
        while i < count {
            out[i] += sign * x[i]
            i &+= 1
        }
    }

    static func delay(_ line: inout DelayLine, _ x: UnsafeMutablePointer<Float>, _ n: Int) {
        let first = min(n, line.length - line.position)
        swapRun(line.buffer + line.position, x, first)
        if first < n { swapRun(line.buffer, x + first, n - first) }
        line.position = first < n ? n - first : (line.position + n == line.length ? 0 : line.position + n)
    }

    @_noLocks
    @inline(__always)
    static func read(_ line: DelayLine, _ n: Int, into out: UnsafeMutablePointer<Float>) {
        let first = min(n, line.length - line.position)
        copyRun(line.buffer + line.position, first, out)
        if first < n { copyRun(line.buffer, n - first, out + first) }
    }

    @_noLocks
    @inline(__always)
    static func tap(_ line: DelayLine, _ age: Int, _ n: Int, _ sign: Float, _ out: UnsafeMutablePointer<Float>) {
        let length = line.length
        var start = line.position - n - age
        while start < 0 { start += length }
        let first = min(n, length - start)
        addRun(line.buffer + start, first, sign, out)
        if first < n { addRun(line.buffer, n - first, sign, out + first) }
    }

    /// Silences the tail at once (system reset) and marks the reverb idle.
    @_noLocks
    public mutating func clear() {
        storage.update(repeating: 0, count: storageCount)
        input1.position = 0; input2.position = 0; input3.position = 0; input4.position = 0
        leftDiffuser1.position = 0; leftDelay1.position = 0; leftDiffuser2.position = 0; leftDelay2.position = 0
        rightDiffuser1.position = 0; rightDelay1.position = 0; rightDiffuser2.position = 0; rightDelay2.position = 0
        bandwidthState = 0; leftDampState = 0; rightDampState = 0; leftLast = 0; rightLast = 0
        quietFrames = 0
        isIdle = true
    }
}
