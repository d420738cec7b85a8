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
    }

    deinit {
        storage.deallocate()
    }

    /// Adds the reverberation of the mono `input` (`count` frames) to `left` and `right`.
    @_noLocks
    public mutating func process(_ input: UnsafePointer<Float>, count: Int,
                                 left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        var inputPeak: Float = 0, outputPeak: Float = 0
        let decay = decay, decayDiffusion2 = decayDiffusion2, damping = damping, wet1 = wet1, wet2 = wet2
        let taps = taps
        var bandwidthState = bandwidthState, leftDampState = leftDampState, rightDampState = rightDampState
        var leftLast = leftLast, rightLast = rightLast
        for i in 0..<count {
            let x = input[i]
            inputPeak = max(inputPeak, x.magnitude)
            bandwidthState += Self.bandwidth * (x * Self.inputTrim - bandwidthState)
            var d = input1.allpass(bandwidthState, Self.inputDiffusion1)
            d = input2.allpass(d, Self.inputDiffusion1)
            d = input3.allpass(d, Self.inputDiffusion2)
            d = input4.allpass(d, Self.inputDiffusion2)

            var l = leftDiffuser1.allpass(d + decay * rightLast, Self.decayDiffusion1)
            l = leftDelay1.process(l)
            leftDampState = l + damping * (leftDampState - l)
            l = leftDiffuser2.allpass(decay * leftDampState, decayDiffusion2)
            let newLeft = leftDelay2.process(l)

            var r = rightDiffuser1.allpass(d + decay * leftLast, Self.decayDiffusion1)
            r = rightDelay1.process(r)
            rightDampState = r + damping * (rightDampState - r)
            r = rightDiffuser2.allpass(decay * rightDampState, decayDiffusion2)
            rightLast = rightDelay2.process(r)
            leftLast = newLeft

            let outLeft = rightDelay1.tap(taps.0) + rightDelay1.tap(taps.1) - rightDiffuser2.tap(taps.2)
                + rightDelay2.tap(taps.3) - leftDelay1.tap(taps.4) - leftDiffuser2.tap(taps.5) - leftDelay2.tap(taps.6)
            let outRight = leftDelay1.tap(taps.7) + leftDelay1.tap(taps.8) - leftDiffuser2.tap(taps.9)
                + leftDelay2.tap(taps.10) - rightDelay1.tap(taps.11) - rightDiffuser2.tap(taps.12) - rightDelay2.tap(taps.13)
            let yLeft = outLeft * wet1 + outRight * wet2
            let yRight = outRight * wet1 + outLeft * wet2
            outputPeak = max(outputPeak, max(yLeft.magnitude, yRight.magnitude))
            left[i] += yLeft
            right[i] += yRight
        }
        self.bandwidthState = bandwidthState
        self.leftDampState = leftDampState
        self.rightDampState = rightDampState
        self.leftLast = leftLast
        self.rightLast = rightLast
        if inputPeak < Self.quietLevel && outputPeak < Self.quietLevel {
            quietFrames += count
            if quietFrames >= idleAfterFrames && !isIdle { clear() }
        } else {
            quietFrames = 0
            isIdle = false
        }
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
