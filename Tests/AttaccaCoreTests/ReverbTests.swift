import Glibc
import Testing
@testable import AttaccaCore

/// The plate reverb against Dattorro's figure 1 written out plainly, and its impulse response.
@Suite struct ReverbTests {
    /// Dattorro's figure 1 and tables 1-2 with every node kept as a whole signal history (no
    /// circular buffers): a delay of D reads the node at n − D, a tap at t reads it at n − t.
    /// At the paper's own rate, 29761 Hz, so the lengths are the paper's numbers.
    static func referencePlate(_ x: [Float], room: Float, damp: Float, width: Float, level: Float) -> ([Float], [Float]) {
        let n = x.count
        func at(_ a: [Float], _ i: Int) -> Float { i >= 0 ? a[i] : 0 }
        let decay = 0.2 + 0.78 * room
        let dd2 = min(max(decay + 0.15, 0.25), 0.5)
        let wet = level / (1 + width * 0.2)
        let wet1 = wet * (width / 2 + 0.5), wet2 = wet * ((1 - width) / 2)
        var bw = [Float](repeating: 0, count: n)
        var i1 = bw, i2 = bw, i3 = bw, i4 = bw  // all-pass nodes w
        var l1 = bw, l2 = bw, l3 = bw, l4 = bw, lDamp = bw  // left: diffuser 1 w, delay 1 in, diffuser 2 w, delay 2 in
        var r1 = bw, r2 = bw, r3 = bw, r4 = bw, rDamp = bw
        var leftTank = bw, rightTank = bw  // delay 2 outputs
        var outL = bw, outR = bw
        func allpass(_ w: inout [Float], _ input: Float, _ d: Int, _ g: Float, _ t: Int) -> Float {
            w[t] = input - g * at(w, t - d)
            return at(w, t - d) + g * w[t]
        }
        for t in 0..<n {
            bw[t] = 0.9995 * (0.6 * x[t]) + (1 - 0.9995) * at(bw, t - 1)
            var d = allpass(&i1, bw[t], 142, 0.75, t)
            d = allpass(&i2, d, 107, 0.75, t)
            d = allpass(&i3, d, 379, 0.625, t)
            d = allpass(&i4, d, 277, 0.625, t)
            l2[t] = allpass(&l1, d + decay * at(rightTank, t - 1), 672, -0.7, t)
            lDamp[t] = (1 - damp) * at(l2, t - 4453) + damp * at(lDamp, t - 1)
            l4[t] = allpass(&l3, decay * lDamp[t], 1800, dd2, t)
            r2[t] = allpass(&r1, d + decay * at(leftTank, t - 1), 908, -0.7, t)
            rDamp[t] = (1 - damp) * at(r2, t - 4217) + damp * at(rDamp, t - 1)
            r4[t] = allpass(&r3, decay * rDamp[t], 2656, dd2, t)
            leftTank[t] = at(l4, t - 3720)
            rightTank[t] = at(r4, t - 3163)
            let yl = at(r2, t - 266) + at(r2, t - 2974) - at(r3, t - 1913) + at(r4, t - 1996)
                - at(l2, t - 1990) - at(l3, t - 187) - at(l4, t - 1066)
            let yr = at(l2, t - 353) + at(l2, t - 3627) - at(l3, t - 1228) + at(l4, t - 2673)
                - at(r2, t - 2111) - at(r3, t - 335) - at(r4, t - 121)
            outL[t] = yl * wet1 + yr * wet2
            outR[t] = yr * wet1 + yl * wet2
        }
        return (outL, outR)
    }

    /// Runs `reverb` over `input` in blocks of `block` frames (cycling through `blocks` sizes).
    static func run(_ reverb: inout Reverb, _ input: [Float], blocks: [Int] = [64]) -> ([Float], [Float]) {
        var left = [Float](repeating: 0, count: input.count), right = left
        var offset = 0, k = 0
        while offset < input.count {
            let count = min(blocks[k % blocks.count], input.count - offset)
            k += 1
            input.withUnsafeBufferPointer { x in
                left.withUnsafeMutableBufferPointer { l in
                    right.withUnsafeMutableBufferPointer { r in
                        reverb.process(x.baseAddress! + offset, count: count, left: l.baseAddress! + offset, right: r.baseAddress! + offset)
                    }
                }
            }
            offset += count
        }
        return (left, right)
    }

    static func energy(_ x: [Float], _ range: Range<Int>) -> Double {
        range.reduce(0.0) { $0 + Double(x[$1]) * Double(x[$1]) }
    }

    @Test func matchesThePlainTopologyAtThePapersRate() {
        // A noise burst, then silence: long enough for both tank halves to feed each other twice.
        var seed: UInt32 = 1
        var input = [Float](repeating: 0, count: 20000)
        for i in 0..<300 {
            seed = seed &* 1664525 &+ 1013904223
            input[i] = Float(Int32(bitPattern: seed)) / Float(Int32.max)
        }
        let settings = ReverbSettings(roomSize: 0.7, damping: 0.3, width: 0.8, level: 0.7)
        let expected = Self.referencePlate(input, room: 0.7, damp: 0.3, width: 0.8, level: 0.7)
        var reverb = Reverb(settings: settings, sampleRate: 29761)
        // Odd block sizes: the result must not depend on how the input is cut.
        let actual = Self.run(&reverb, input, blocks: [64, 17, 1, 100])
        var worst: Float = 0, peak: Float = 0
        for i in 0..<input.count {
            worst = max(worst, abs(actual.0[i] - expected.0[i]), abs(actual.1[i] - expected.1[i]))
            peak = max(peak, abs(expected.0[i]))
        }
        #expect(peak > 0.05)
        #expect(worst < 1e-5 * max(peak, 1))
        // The feedback path was exercised: sound well after both tank loops.
        #expect(Self.energy(expected.0, 16000..<20000) > 1e-6)
    }

    /// One frame at a time is the figure sample by sample; chunks (at most the shortest line, 29
    /// frames at 8 kHz) must give the same numbers at any rate.
    @Test(arguments: [8000, 44100, 192_000])
    func chunkingDoesNotChangeTheOutput(rate: Int) {
        var seed: UInt32 = 3
        let input = (0..<(rate / 2)).map { i -> Float in
            seed = seed &* 1664525 &+ 1013904223
            return i < rate / 20 ? Float(Int32(bitPattern: seed)) / Float(Int32.max) : 0
        }
        var single = Reverb(settings: ReverbSettings(), sampleRate: rate)
        var blocks = Reverb(settings: ReverbSettings(), sampleRate: rate)
        let a = Self.run(&single, input, blocks: [1])
        let b = Self.run(&blocks, input, blocks: [64, 512, 7])
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
        #expect(Self.energy(a.0, (rate / 4)..<(rate / 2)) > 0)
    }

    @Test func impulseResponseDecays() {
        let rate = 48000
        var input = [Float](repeating: 0, count: 6 * rate)
        input[0] = 1
        var reverb = Reverb(settings: ReverbSettings(), sampleRate: rate)
        let (left, right) = Self.run(&reverb, input)
        let window = rate / 4
        let energies = stride(from: 0, to: 4 * rate, by: window).map { Self.energy(left, $0..<($0 + window)) + Self.energy(right, $0..<($0 + window)) }
        // After the build-up (the first half second), every quarter second is quieter than the last.
        for k in 3..<energies.count { #expect(energies[k] < energies[k - 1], "window \(k)") }
        let first = energies[0] + energies[1]
        #expect(first > 1e-3)
        // Room 0.5: audible after 1 s, 40 dB down by 3 s.
        #expect(10 * log10(energies[4] / first) > -40)
        #expect(10 * log10(energies[12] / first) < -40)
        // Left and right carry the same energy within 3 dB, and are not the same signal.
        let l = Self.energy(left, 0..<(2 * rate)), r = Self.energy(right, 0..<(2 * rate))
        #expect(abs(10 * log10(l / r)) < 3)
        let cross = (0..<(2 * rate)).reduce(0.0) { $0 + Double(left[$1]) * Double(right[$1]) }
        #expect(abs(cross) / (l * r).squareRoot() < 0.5)
        // With no input for the whole tail, it goes idle and silent.
        let idle = reverb.isIdle
        #expect(idle)
        #expect(Measure.peak(left, (6 * rate - 4800)..<(6 * rate)) == 0)
    }

    @Test func zeroWidthIsMono() {
        var input = [Float](repeating: 0, count: 9600)
        input[0] = 1
        var reverb = Reverb(settings: ReverbSettings(width: 0), sampleRate: 48000)
        let (left, right) = Self.run(&reverb, input)
        #expect(left == right)
        #expect(Self.energy(left, 0..<9600) > 0)
    }

    @Test func levelScalesTheOutput() {
        var input = [Float](repeating: 0, count: 9600)
        input[0] = 1
        var full = Reverb(settings: ReverbSettings(level: 1), sampleRate: 48000)
        var half = Reverb(settings: ReverbSettings(level: 0.5), sampleRate: 48000)
        let a = Self.run(&full, input).0, b = Self.run(&half, input).0
        for i in stride(from: 0, to: 9600, by: 97) { #expect(abs(a[i] * 0.5 - b[i]) <= 1e-6 * max(abs(a[i]), 1)) }
    }
}
