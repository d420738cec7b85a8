import Glibc
import Testing
@testable import AttaccaCore

/// The output limiter: the identity below its ceiling, never above it, recovering as its formula says.
@Suite struct OutputLimiterTests {
    func sine(amplitude: Float, frames: Int, frequency: Double = 441) -> [Float] {
        (0..<frames).map { amplitude * Float(sin(2 * Double.pi * frequency * Double($0) / 48000)) }
    }

    func limit(_ left: [Float], _ right: [Float], _ limiter: inout OutputLimiter, block: Int = 256) -> ([Float], [Float]) {
        var l = left, r = right
        l.withUnsafeMutableBufferPointer { lp in
            r.withUnsafeMutableBufferPointer { rp in
                var start = 0
                while start < lp.count {
                    let n = min(block, lp.count - start)
                    limiter.process(left: lp.baseAddress! + start, right: rp.baseAddress! + start, frameCount: n)
                    start += n
                }
            }
        }
        return (l, r)
    }

    @Test func passesMaterialBelowTheCeilingUnchanged() {
        var limiter = OutputLimiter(sampleRate: 48000)
        let a = sine(amplitude: 0.9, frames: 48000), b = sine(amplitude: 0.5, frames: 48000, frequency: 300)
        let (l, r) = limit(a, b, &limiter)
        #expect(l == a && r == b)
        #expect(limiter.gain == 1)
    }

    @Test func keepsEverySampleBelowFullScale() {
        var limiter = OutputLimiter(sampleRate: 48000)
        // +6 dBFS on the left, a louder burst on the right halfway.
        let a = sine(amplitude: 2, frames: 48000)
        let b = (0..<48000).map { $0 >= 24000 && $0 < 26000 ? Float(4) * (($0 % 2 == 0) ? 1 : -1) : 0.3 }
        let (l, r) = limit(a, b, &limiter)
        let peak = max(l.map(abs).max()!, r.map(abs).max()!)
        #expect(peak <= limiter.ceiling * (1 + 1e-6))  // c / peak × peak, rounded
        #expect(peak > limiter.ceiling * 0.99)  // turned down to the ceiling, not far below it
        // Linked channels: the left is cut with the right during the burst.
        #expect(l[24000..<26000].map(abs).max()! < 2 * limiter.ceiling / 4 * 1.001)
    }

    /// After the loud part, the gain climbs back as 1 - (1 - g0)(1 - k)^n, k = 1 - exp(-1 / (0.1 s · rate)).
    @Test func recoversWithItsReleaseTimeConstant() {
        var limiter = OutputLimiter(sampleRate: 48000)
        let loud = [Float](repeating: 2, count: 4800), quiet = [Float](repeating: 0.01, count: 4800)
        let (l, _) = limit(loud + quiet, loud + quiet, &limiter, block: 4800)
        let g0 = Double(limiter.ceiling) / 2
        let k = 1 - exp(-1 / (0.1 * 48000))
        for n in [1, 480, 2400, 4799] {
            let expected = 1 - (1 - g0) * pow(1 - k, Double(n + 1))
            #expect(abs(Double(l[4800 + n]) / 0.01 - expected) < 1e-3, "frame \(n)")
        }
    }
}
