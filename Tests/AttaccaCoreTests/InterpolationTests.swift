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
}
