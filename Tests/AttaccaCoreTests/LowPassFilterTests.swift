import Glibc
import Testing
@testable import AttaccaCore

/// The resonant low-pass against the RBJ cookbook biquad computed independently in Double,
/// with FluidSynth's Q convention (cB/10 - 3.01 dB, gain 1/sqrt(Q)).
@Suite struct LowPassFilterTests {
    /// Reference filter: direct form I in Double.
    func reference(_ input: [Float], cutoff hertz: Double, qCentibels: Double, rate: Double) -> [Double] {
        let q = pow(10, (min(max(qCentibels / 10, 0), 96) - 3.01) / 20)
        let gain = 1 / sqrt(q)
        let w = 2 * Double.pi * hertz / rate
        let alpha = sin(w) / (2 * q)
        let a0 = 1 + alpha
        let b0 = (1 - cos(w)) / 2 / a0 * gain, b1 = (1 - cos(w)) / a0 * gain, b2 = b0
        let a1 = -2 * cos(w) / a0, a2 = (1 - alpha) / a0
        var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
        return input.map { xf in
            let x = Double(xf)
            let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x2 = x1; x1 = x; y2 = y1; y1 = y
            return y
        }
    }

    func run(cents: Double, qCentibels: Float) -> (got: [Float], want: [Double]) {
        var seed: UInt64 = 99
        let input: [Float] = (0..<256).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: seed >> 11) % 20000) - 10000
        }
        var filter = LowPassFilter()
        filter.start(qCentibels: qCentibels)
        filter.update(cutoffCents: cents, sampleRate: 48000, count: 0)
        var buffer = input
        buffer.withUnsafeMutableBufferPointer { filter.process($0.baseAddress!, count: 256, span: 256) }
        let hertz = 440 * pow(2, (cents - 6900) / 1200)
        return (buffer, reference(input, cutoff: hertz, qCentibels: Double(qCentibels), rate: 48000))
    }

    @Test func matchesCookbookBiquad() {
        for (cents, q) in [(13500.0, Float(0)), (9000, 0), (6000, 100), (8000, 240), (11000, 960)] {
            let (got, want) = run(cents: cents, qCentibels: q)
            let peak = want.map(abs).max()!
            let worst = zip(got, want).map { abs(Double($0) - $1) }.max()!
            #expect(worst < peak * 1e-4, "cutoff \(cents) cents, Q \(q) cB: error \(worst) of \(peak)")
        }
    }

    @Test func dcGainIsOneOverSquareRootOfQ() {
        var filter = LowPassFilter()
        filter.start(qCentibels: 0)
        filter.update(cutoffCents: 8000, sampleRate: 48000, count: 0)
        var ones = [Float](repeating: 1, count: 4096)
        ones.withUnsafeMutableBufferPointer { filter.process($0.baseAddress!, count: 4096, span: 4096) }
        #expect(abs(Double(ones[4095]) - 1 / sqrt(pow(10, -3.01 / 20))) < 1e-4)
    }

    @Test func cutoffIsClampedLikeFluidSynth() {
        // Above 13500 cents the cutoff stays at 13500 (19.9 kHz); below 1500 cents at 1500.
        let (high, _) = run(cents: 20000, qCentibels: 0)
        let (atMax, _) = run(cents: 13500, qCentibels: 0)
        #expect(high == atMax)
        let (low, _) = run(cents: 0, qCentibels: 0)
        let (atMin, _) = run(cents: 1500, qCentibels: 0)
        #expect(low == atMin)
    }

    /// A cutoff change glides: the output differs from an instant switch but ends at the same
    /// coefficients.
    @Test func coefficientsGlideAcrossTheSubBlock() {
        var filter = LowPassFilter()
        filter.start(qCentibels: 0)
        filter.update(cutoffCents: 12000, sampleRate: 48000, count: 64)
        filter.update(cutoffCents: 7000, sampleRate: 48000, count: 64)
        #expect(filter.isGliding)
        var buffer = [Float](repeating: 1000, count: 64)
        buffer.withUnsafeMutableBufferPointer { filter.process($0.baseAddress!, count: 64, span: 64) }
        #expect(!filter.isGliding)
        #expect(filter.a1 == filter.targetA1 && filter.b1 == filter.targetB1)
    }
}
