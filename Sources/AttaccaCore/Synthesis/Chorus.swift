/// A stereo chorus as FluidSynth's (`fluid_chorus.c`, 2.2+): `voiceCount` taps read one delay
/// line of the mono input at delays swept by sines of `speed` Hz, their phases spread evenly over
/// the period; each delay moves between 1 frame and 1 + `depth` ms (the depth is peak to peak).
/// Even-numbered taps feed one side, odd ones the other (with an odd count the last tap feeds
/// both), and the two sums are crossed with FluidSynth's fixed width 10: left = wet1·even +
/// wet2·odd, right = wet1·odd + wet2·even, wet1 = 5.5·level/3, wet2 = −4.5·level/3. A single
/// tap goes to both sides at `level`.
/// Taps are read with linear interpolation (FluidSynth: a first-order all-pass); each tap's delay
/// is exact every 16 frames and linear between (FluidSynth holds it for 4-5 frames).
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
    /// The phasors' rotation by m = 0...16 frames.
    let rotationCos: UnsafeMutablePointer<Double>
    let rotationSin: UnsafeMutablePointer<Double>
    /// Scratch: the even, odd and shared taps' sums for one chunk of up to 64 frames.
    let work: UnsafeMutablePointer<Float>
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
        // The longest delay plus a chunk: `process` writes a chunk's input before reading its taps.
        length = Int(2 * swing) + 4 + 64
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
        rotationCos = .allocate(capacity: 17)
        rotationSin = .allocate(capacity: 17)
        for m in 0...16 {
            (rotationCos + m).initialize(to: FastMath.cos(step * Double(m)))
            (rotationSin + m).initialize(to: FastMath.sin(step * Double(m)))
        }
        work = .allocate(capacity: 192)
        work.initialize(repeating: 0, count: 192)
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
        rotationCos.deallocate()
        rotationSin.deallocate()
        work.deallocate()
    }

    /// Adds the chorus of the mono `input` (`count` frames) to `left` and `right`.
    @_noLocks
    public mutating func process(_ input: UnsafePointer<Float>, count: Int,
                                 left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        var inputPeak: Float = 0, outputPeak: Float = 0
        var done = 0
        while done < count {
            let n = min(64, count - done)
            let peaks = processChunk(input + done, n, left + done, right + done)
            inputPeak = max(inputPeak, peaks.0)
            outputPeak = max(outputPeak, peaks.1)
            done += n
        }
        // The phasors' length drifts by rounding: pull it back to 1 once per block.
        for k in 0..<voiceCount {
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

    /// One chunk of `n` <= 64 frames: the input is written first (every tap is at least a frame
    /// old, and the line is a chunk longer than the longest delay), then each tap's whole chunk.
    /// Returns the input and output peaks.
    @_noLocks
    @inline(__always)
    mutating func processChunk(_ x: UnsafePointer<Float>, _ n: Int,
                               _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>) -> (Float, Float) {
        let length = length, line = line
        let start = position
        let inputPeak = FastMath.peak(x, n)
        var p = position
        for i in 0..<n {
            line[p] = x[i]
            p = p + 1 == length ? 0 : p + 1
        }
        position = p
        // Even taps, odd taps, and the last tap of an odd count, which feeds both sides.
        let even = work, odd = work + 64, shared = work + 128
        even.update(repeating: 0, count: n)
        odd.update(repeating: 0, count: n)
        shared.update(repeating: 0, count: n)
        let voices = voiceCount
        for k in 0..<voices {
            let sum = k == voices - 1 && voices & 1 == 1 ? shared : (k & 1 == 0 ? even : odd)
            var c = phasorCos[k], s = phasorSin[k]
            var i = 0
            while i < n {
                let m = min(16, n - i)
                // Delay (frames back from frame i's own input) at the segment's ends, linear between.
                let c1 = c * rotationCos[m] - s * rotationSin[m]
                let s1 = s * rotationCos[m] + c * rotationSin[m]
                let d0 = center + swing * Float(s), d1 = center + swing * Float(s1)
                // The delay in 32.32 fixed point: whole frames and fraction without conversions.
                var delay = Int64(Double(d0) * 4294967296)
                let step = Int64(Double((d1 - d0) / Float(m)) * 4294967296)
                let out = sum + i
                // Frame i's own slot, kept inside the line so a read wraps only below 0
                // (branch-free: the sign bit selects the added length).
                var slot = start &+ i
                if slot >= length { slot &-= length }
                var j = 0
                // Usually no read of this segment wraps (the delay moves by a fraction of a frame
                // per frame): then points are read straight from the line.
                if slot &- Int(max(d0, d1)) &- 2 >= 0 && slot &+ m <= length {
                    let here = UnsafePointer(line + slot)
                    while j < m {
                        let whole = Int(truncatingIfNeeded: delay >> 32)
                        let fraction = Float(Int32(truncatingIfNeeded: (delay & 0xFFFF_FFFF) >> 8)) * (1.0 / 16777216)
                        let point = here + (j &- whole)
                        let older = point[-1], newer = point[0]
                        out[j] += newer + fraction * (older - newer)
                        delay &+= step
                        j &+= 1
                    }
                    slot &+= m
                }
                while j < m {
                    let whole = Int(truncatingIfNeeded: delay >> 32)
                    // The low 32 bits as a fraction, through Int32 lanes (a signed conversion is one instruction).
                    let fraction = Float(Int32(truncatingIfNeeded: (delay & 0xFFFF_FFFF) >> 8)) * (1.0 / 16777216)
                    var a = slot &- whole
                    a &+= (a >> 63) & length
                    var b = a &- 1
                    b &+= (b >> 63) & length
                    let older = line[b], newer = line[a]
                    out[j] += newer + fraction * (older - newer)
                    delay &+= step
                    slot = slot &+ 1 == length ? 0 : slot &+ 1
                    j &+= 1
                }
                c = c1
                s = s1
                i += m
            }
            phasorCos[k] = c
            phasorSin[k] = s
        }
        // The shared tap joins both sides after their own taps, in that order of addition.
        if voices & 1 == 1 && voices > 1 {
            Reverb.addRun(shared, n, 1, even)
            Reverb.addRun(shared, n, 1, odd)
        } else if voices == 1 {
            Reverb.copyRun(shared, n, even)
            Reverb.copyRun(shared, n, odd)
        }
        let outputPeak = WidthMix.add(even, odd, n, wet1, wet2, left, right)
        return (inputPeak, outputPeak)
    }

    /// Silences the chorus at once and marks it idle.
    @_noLocks
    public mutating func clear() {
        line.update(repeating: 0, count: length)
        quietFrames = 0
        isIdle = true
    }
}
