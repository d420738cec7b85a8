/// A stereo chorus as FluidSynth's (`fluid_chorus.c`, 2.2+): `voiceCount` taps read one delay
/// line of the mono input at delays swept by sines of `speed` Hz, their phases spread evenly over
/// the period; each delay moves between 1 frame and 1 + `depth` ms (the depth is peak to peak).
/// Even-numbered taps feed one side, odd ones the other (with an odd count the last tap feeds
/// both), and the two sums are crossed with FluidSynth's fixed width 10: left = wet1·even +
/// wet2·odd, right = wet1·odd + wet2·even, wet1 = 5.5·level/3, wet2 = −4.5·level/3. A single
/// tap goes to both sides at `level`.
/// Taps are read with linear interpolation (FluidSynth: a first-order all-pass).
///
/// The line is allocated in `init` for the depth and rate; `process` never allocates, locks or
/// calls C. After a line's length of silent input and output it reports `isIdle`.
public struct Chorus: ~Copyable {
    public let settings: ChorusSettings
    let line: UnsafeMutablePointer<Float>
    let length: Int
    /// The slot written next.
    var position = 0
    let voiceCount: Int
    /// Each tap's sine as a rotating phasor (cos, sin), advanced by `rotation` every frame.
    let phasorCos: UnsafeMutablePointer<Double>
    let phasorSin: UnsafeMutablePointer<Double>
    let rotationCos: Double
    let rotationSin: Double
    /// Delay in frames at the sine's zero, and the sine's amplitude in frames.
    let center: Float
    let swing: Float
    let wet1: Float, wet2: Float
    var quietFrames = 0
    public private(set) var isIdle = true

    public init(settings: ChorusSettings, sampleRate: Int) {
        self.settings = settings
        voiceCount = min(max(settings.voiceCount, 0), 99)
        let depth = min(max(settings.depth, 0), 40)
        swing = Float(depth / 1000 * Double(sampleRate) / 2)
        center = swing + 1
        length = Int(2 * swing) + 4
        line = .allocate(capacity: length)
        line.initialize(repeating: 0, count: length)
        let count = max(voiceCount, 1)
        phasorCos = .allocate(capacity: count)
        phasorSin = .allocate(capacity: count)
        for k in 0..<count {
            let phase = 2 * Double.pi * Double(k) / Double(count)
            (phasorCos + k).initialize(to: FastMath.cos(phase))
            (phasorSin + k).initialize(to: FastMath.sin(phase))
        }
        let speed = min(max(settings.speed, 0.1), 5)
        let step = 2 * Double.pi * speed / Double(sampleRate)
        rotationCos = FastMath.cos(step)
        rotationSin = FastMath.sin(step)
        let level = min(max(settings.level, 0), 10)
        if voiceCount > 1 {
            let wet = level / (1 + 10 * 0.2)
            wet1 = Float(wet * (10 / 2 + 0.5))
            wet2 = Float(wet * ((1 - 10) / 2))
        } else {
            wet1 = Float(level)
            wet2 = 0
        }
    }

    deinit {
        line.deallocate()
        phasorCos.deallocate()
        phasorSin.deallocate()
    }

    /// Adds the chorus of the mono `input` (`count` frames) to `left` and `right`.
    @_noLocks
    public mutating func process(_ input: UnsafePointer<Float>, count: Int,
                                 left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        var inputPeak: Float = 0, outputPeak: Float = 0
        let length = length, line = line, voices = voiceCount
        let lastFeedsBoth = voices & 1 == 1
        var position = position
        for i in 0..<count {
            var even: Float = 0, odd: Float = 0, tap: Float = 0
            for k in 0..<voices {
                let c = phasorCos[k], s = phasorSin[k]
                phasorCos[k] = c * rotationCos - s * rotationSin
                phasorSin[k] = s * rotationCos + c * rotationSin
                // Frames back from the last written one (1 = the last).
                let delay = center + swing * Float(s)
                let whole = Int(delay)
                let fraction = delay - Float(whole)
                var a = position - whole
                if a < 0 { a += length }
                var b = a - 1
                if b < 0 { b += length }
                tap = line[a] + fraction * (line[b] - line[a])
                if k & 1 == 0 { even += tap } else { odd += tap }
            }
            if lastFeedsBoth { odd += tap }
            let x = input[i]
            inputPeak = max(inputPeak, x.magnitude)
            line[position] = x
            position = position + 1 == length ? 0 : position + 1
            let yLeft = even * wet1 + odd * wet2
            let yRight = odd * wet1 + even * wet2
            outputPeak = max(outputPeak, max(yLeft.magnitude, yRight.magnitude))
            left[i] += yLeft
            right[i] += yRight
        }
        self.position = position
        // The phasors' length drifts by rounding: pull it back to 1 once per block.
        for k in 0..<voices {
            let c = phasorCos[k], s = phasorSin[k]
            let correction = 1.5 - 0.5 * (c * c + s * s)
            phasorCos[k] = c * correction
            phasorSin[k] = s * correction
        }
        if inputPeak < 1e-7 && outputPeak < 1e-7 {
            quietFrames += count
            if quietFrames >= length && !isIdle {
                line.update(repeating: 0, count: length)
                isIdle = true
            }
        } else {
            quietFrames = 0
            isIdle = false
        }
    }

    /// Silences the chorus at once and marks it idle.
    @_noLocks
    public mutating func clear() {
        line.update(repeating: 0, count: length)
        quietFrames = 0
        isIdle = true
    }
}
