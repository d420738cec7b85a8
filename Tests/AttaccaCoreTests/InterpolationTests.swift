import Glibc
import Testing
@testable import AttaccaCore

/// The interpolation polynomials against independent formulas, and in a rendered voice.
@Suite struct InterpolationTests {
    /// Catmull-Rom in Hermite form: tangents (p2-p0)/2 and (p3-p1)/2 with the Hermite basis.
    func hermite(_ p0: Double, _ p1: Double, _ p2: Double, _ p3: Double, _ t: Double) -> Double {
        let m1 = (p2 - p0) / 2, m2 = (p3 - p1) / 2
        let t2 = t * t, t3 = t2 * t
        return (2 * t3 - 3 * t2 + 1) * p1 + (t3 - 2 * t2 + t) * m1 + (-2 * t3 + 3 * t2) * p2 + (t3 - t2) * m2
    }

    @Test func cubicMatchesHermiteForm() {
        var seed: UInt64 = 12345
        func random() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) * 2 - 1
        }
        for _ in 0..<1000 {
            let p = (0..<4).map { _ in random() * 30000 }
            let t = (random() + 1) / 2
            let got = SampleInterpolation.cubic(Float(p[0]), Float(p[1]), Float(p[2]), Float(p[3]), Float(t))
            let want = hermite(p[0], p[1], p[2], p[3], t)
            #expect(abs(Double(got) - want) < 0.02, "t=\(t)")
        }
        // Passes through the points and reproduces a straight line exactly.
        #expect(SampleInterpolation.cubic(1, 2, 3, 4, 0) == 2)
        #expect(SampleInterpolation.cubic(1, 2, 3, 4, 1) == 3)
        #expect(abs(SampleInterpolation.cubic(1, 2, 3, 4, 0.25) - 2.25) < 1e-6)
    }

    @Test func linearMatchesFormula() {
        #expect(SampleInterpolation.linear(10, 20, 0.3) == 10 + 0.3 * 10)
        #expect(SampleInterpolation.linear(-5, 5, 0) == -5)
    }

    /// Residual after removing the best-fitting sinusoid at the known output frequency.
    func residual(_ signal: [Float], frequency: Double, rate: Double, range: Range<Int>) -> (signal: Double, error: Double) {
        var ss = 0.0, sc = 0.0, cc = 0.0, ys = 0.0, yc = 0.0
        for i in range {
            let w = 2 * Double.pi * frequency * Double(i) / rate
            let s = sin(w), c = cos(w), y = Double(signal[i])
            ss += s * s; sc += s * c; cc += c * c; ys += y * s; yc += y * c
        }
        let det = ss * cc - sc * sc
        let a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det
        var power = 0.0, error = 0.0
        for i in range {
            let w = 2 * Double.pi * frequency * Double(i) / rate
            let fit = a * sin(w) + b * cos(w)
            power += fit * fit
            error += (Double(signal[i]) - fit) * (Double(signal[i]) - fit)
        }
        return (power, error)
    }

    /// A 20-point-per-cycle sine replayed at a non-integer ratio: cubic is far cleaner than linear.
    @Test func cubicBeatsLinearOnResampledSine() throws {
        let wave = TestSoundFont.cosine(period: 20, cycles: 50)
        let font = TestSoundFont.make(sample: wave, sampleRate: 44000, originalPitch: 60, loop: 0..<wave.count)
        var snr: [Double] = []
        for interpolation in [SynthesizerSettings.Interpolation.cubic, .linear] {
            var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(interpolation: interpolation))
            synth.send(.noteOn(channel: 0, key: 61, velocity: 127))
            let out = Measure.render(&synth, frames: 24000).left
            let f = 2200 * pow(2, 1.0 / 12)
            let r = residual(out, frequency: f, rate: 48000, range: 4800..<24000)
            snr.append(10 * log10(r.signal / r.error))
        }
        #expect(snr[0] > 45, "cubic SNR \(snr[0]) dB")
        #expect(snr[0] > snr[1] + 10, "cubic \(snr[0]) dB vs linear \(snr[1]) dB")
    }

    /// The table holds the Catmull-Rom weights at k / size × 32767: each within 2 units of the
    /// exact weight (w1 takes the rounding remainder), summing to exactly 32767 but where w1 had to
    /// be clamped; entry 0 reproduces the point.
    @Test func cubicTableHoldsRoundedWeights() {
        let table = SampleInterpolation.makeCubicTable()
        defer { table.deallocate() }
        let size = SampleInterpolation.cubicTableSize, one = SampleInterpolation.cubicTableOne
        #expect(size == 1024 && one == 32767)
        #expect(table[0] == SIMD4<Int16>(0, 32767, 0, 0))
        var clamped = 0
        for k in 0..<size {
            let w = SampleInterpolation.cubicWeights(Double(k) / Double(size))
            let exact = [w.0, w.1, w.2, w.3]
            let entry = table[k]
            var sum = 0
            for lane in 0..<4 {
                sum += Int(entry[lane])
                #expect(abs(Double(entry[lane]) - exact[lane] * Double(one)) <= 2, "entry \(k) lane \(lane)")
            }
            if sum != one {
                clamped += 1
                #expect(sum == one - 1 && entry[1] == 32767, "entry \(k) sums to \(sum)")
            }
        }
        #expect(clamped < 4)
    }

    /// The 16-bit kernel against the polynomial computed in Double: within 4 units of the weights
    /// at the fraction's table step (rounding of the integer weights), and within the table's fraction step (1/1024 ×
    /// the largest slope of the weights × the largest point) of the exact fraction.
    @Test func cubicRun16MatchesFormula() {
        let table = SampleInterpolation.makeCubicTable()
        defer { table.deallocate() }
        var seed: UInt64 = 777
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 11
        }
        let points: [Int16] = (0..<4096).map { _ in Int16(truncatingIfNeeded: Int(next() % 65536) - 32768) }
        // Largest sum over the weights of |d w / d fraction|, sampled finely.
        var slope = 0.0
        for i in 0...10000 {
            let f = Double(i) / 10000, h = 1e-6
            let a = SampleInterpolation.cubicWeights(f), b = SampleInterpolation.cubicWeights(f + h)
            slope = max(slope, (abs(b.0 - a.0) + abs(b.1 - a.1) + abs(b.2 - a.2) + abs(b.3 - a.3)) / h)
        }
        let fractionBound = slope * 32768 / 1024 + 4  // |points| ≤ 32768
        var output = [Float](repeating: 0, count: 64)
        for trial in 0..<200 {
            let step = trial % 4 == 0 ? UInt64(1) << 32 : next() % (UInt64(6) << 32) + 1
            var p = (UInt64(1 + next() % 100) << 32) | (next() & 0xFFFF_FFFF)
            let start = p
            let written = points.withUnsafeBufferPointer { data in
                output.withUnsafeMutableBufferPointer { out in
                    Voice.cubicRun16(out.baseAddress!, 63, &p, step, data.baseAddress!, UnsafePointer(table))
                }
            }
            #expect(written == 60)
            #expect(p == start &+ 60 &* step)
            for j in 0..<written {
                let q = start &+ UInt64(j) &* step
                let s = Int(q >> 32)
                let fraction = Double(UInt32(truncatingIfNeeded: q)) / 4294967296
                let stepped = Double(Int(fraction * 1024)) / 1024
                let x = (-1...2).map { Double(points[s + $0]) }
                func value(_ f: Double) -> Double {
                    let w = SampleInterpolation.cubicWeights(f)
                    return w.0 * x[0] + w.1 * x[1] + w.2 * x[2] + w.3 * x[3]
                }
                let got = Double(output[j])
                #expect(abs(got - value(stepped)) <= 4, "trial \(trial) frame \(j): \(got) vs \(value(stepped))")
                #expect(abs(got - value(fraction)) <= fractionBound, "trial \(trial) frame \(j)")
                #expect(abs(value(fraction) - Double(SampleInterpolation.cubic(Float(x[0]), Float(x[1]), Float(x[2]), Float(x[3]),
                                                                               Float(fraction)))) < 0.05)
            }
        }
    }

    /// The Kaiser-windowed sinc written out independently: I0 by its integral
    /// (1/π)∫₀^π exp(x cos t) dt (trapezoid), not the power series the code uses.
    func kaiserSinc(_ x: Double, beta: Double = 6) -> Double {
        if abs(x) >= 4 { return 0 }
        func i0(_ z: Double) -> Double {
            let n = 2000
            var sum = 0.0
            for i in 0...n {
                let t = Double.pi * Double(i) / Double(n)
                sum += (i == 0 || i == n ? 0.5 : 1) * exp(z * cos(t))
            }
            return sum / Double(n)
        }
        let s = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
        return s * i0(beta * (1 - x * x / 16).squareRoot()) / i0(beta)
    }

    /// Every row of the sinc table holds the Kaiser-windowed sinc weights of p[i-3] ... p[i+4] at its fraction,
    /// normalised to sum 1; row 0 passes the point through.
    @Test func sincTableHoldsKaiserSincWeights() {
        let table = SampleInterpolation.makeSincTable()
        defer { table.deallocate() }
        let taps = SampleInterpolation.sincTaps, rows = 1 << SampleInterpolation.sincTableBits
        #expect(taps == 8)
        for row in stride(from: 0, through: rows, by: 37) + [rows] {
            let f = Double(row) / Double(rows)
            let raw = (0..<8).map { kaiserSinc(Double($0 - 3) - f) }
            let sum = raw.reduce(0, +)
            var tableSum = 0.0
            for k in 0..<8 {
                tableSum += Double(table[row * taps + k])
                #expect(abs(Double(table[row * taps + k]) - raw[k] / sum) < 1e-6, "row \(row) tap \(k)")
            }
            #expect(abs(tableSum - 1) < 1e-5)
        }
        #expect(abs(table[3] - 1) < 1e-6 && (0..<8).allSatisfy { $0 == 3 || abs(table[$0]) < 1e-6 })
    }

    /// The four methods on a band-limited sine (10 points per cycle) replayed a semitone up: each
    /// better than the last, sinc far cleaner than linear and clearly cleaner than cubic. Nearest
    /// is bounded by its phase jitter: error power ≈ (2π/10)² / 12 of the signal, about -15 dB.
    @Test func sincBeatsCubicBeatsLinearBeatsNearest() throws {
        let wave = TestSoundFont.cosine(period: 10, cycles: 100)
        let font = TestSoundFont.make(sample: wave, sampleRate: 44000, originalPitch: 60, loop: 0..<wave.count)
        var snr: [SynthesizerSettings.Interpolation: Double] = [:]
        for interpolation in SynthesizerSettings.Interpolation.allCases {
            var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(interpolation: interpolation))
            synth.send(.noteOn(channel: 0, key: 61, velocity: 127))
            let out = Measure.render(&synth, frames: 24000).left
            let r = residual(out, frequency: 4400 * pow(2, 1.0 / 12), rate: 48000, range: 4800..<24000)
            snr[interpolation] = 10 * log10(r.signal / r.error)
        }
        let none = snr[.none]!, linear = snr[.linear]!, cubic = snr[.cubic]!, sinc = snr[.sinc]!
        let jitter = -10 * log10(pow(2 * Double.pi / 10, 2) / 12)
        #expect(abs(none - jitter) < 3, "nearest \(none) dB, jitter model \(jitter) dB")
        #expect(linear > none + 10 && cubic > linear + 10, "none \(none), linear \(linear), cubic \(cubic) dB")
        #expect(sinc > 60 && sinc > linear + 25 && sinc > cubic + 15, "sinc \(sinc) dB vs cubic \(cubic), linear \(linear) dB")
    }
}
