import Testing
@testable import AttaccaAnalysis
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FFTTests {
    /// [1, 2, 3, 4] by hand: X0 = 10, X1 = 1 − 3 + i(−2 + 4) = −2 + 2i, X2 = 1 − 2 + 3 − 4 = −2, X3 = −2 − 2i.
    @Test func fourPointsByHand() {
        var real: [Double] = [1, 2, 3, 4], imaginary: [Double] = [0, 0, 0, 0]
        FFT(size: 4).transform(real: &real, imaginary: &imaginary)
        let expected: [(Double, Double)] = [(10, 0), (-2, 2), (-2, 0), (-2, -2)]
        for (index, value) in expected.enumerated() {
            #expect(abs(real[index] - value.0) < 1e-12)
            #expect(abs(imaginary[index] - value.1) < 1e-12)
        }
    }

    @Test func impulseIsFlatAndConstantIsDC() {
        let fft = FFT(size: 16)
        var impulse = [Double](repeating: 0, count: 16)
        impulse[0] = 1
        #expect(fft.powerSpectrum(of: impulse).allSatisfy { abs($0 - 1) < 1e-12 })
        let constant = fft.powerSpectrum(of: [Double](repeating: 0.5, count: 16))
        #expect(abs(constant[0] - 64) < 1e-9)  // (16 · 0.5)²
        #expect(constant.dropFirst().allSatisfy { $0 < 1e-20 })
        #expect(constant.count == 9)
    }

    /// Against a direct O(N²) DFT of pseudo-random complex input.
    @Test(arguments: [1, 2, 8, 64, 512])
    func matchesDirectDFT(size: Int) {
        var seed: UInt64 = 12345
        func random() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) - 0.5
        }
        let inputReal = (0..<size).map { _ in random() }, inputImaginary = (0..<size).map { _ in random() }
        var real = inputReal, imaginary = inputImaginary
        FFT(size: size).transform(real: &real, imaginary: &imaginary)
        for k in 0..<size {
            var sumReal = 0.0, sumImaginary = 0.0
            for n in 0..<size {
                let angle = -2 * Double.pi * Double(k * n % size) / Double(size)
                sumReal += inputReal[n] * cos(angle) - inputImaginary[n] * sin(angle)
                sumImaginary += inputReal[n] * sin(angle) + inputImaginary[n] * cos(angle)
            }
            #expect(abs(real[k] - sumReal) < 1e-9)
            #expect(abs(imaginary[k] - sumImaginary) < 1e-9)
        }
    }
}
