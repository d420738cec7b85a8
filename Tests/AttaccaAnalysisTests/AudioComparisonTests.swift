import Testing
@testable import AttaccaAnalysis
#if canImport(Glibc)
import Glibc
#endif

/// A signal of `frames` 20-samples-long frames (sample rate 1000, 20 ms frames), frame i constant at amplitude[i].
private func steps(_ amplitudes: [Float]) -> [Float] {
    amplitudes.flatMap { [Float](repeating: $0, count: 20) }
}

private func sine(amplitude: Double, bin: Int, fftSize: Int, count: Int) -> [Float] {
    (0..<count).map { Float(amplitude * sin(2 * Double.pi * Double(bin * $0) / Double(fftSize))) }
}

@Suite struct AudioComparisonTests {
    let comparison = AudioComparison(sampleRate: 1000)

    @Test func rmsLevelsOfConstantFrames() {
        #expect(comparison.rmsFrameLength == 20)
        let levels = comparison.rmsLevels(steps([1, 0.5, 0, -0.1]) + [1, 1, 1])  // the partial frame is dropped
        #expect(levels.count == 4)
        #expect(abs(levels[0] - 0) < 1e-12)
        #expect(abs(levels[1] - -6.020599913279624) < 1e-9)
        #expect(levels[2] == -100)  // silence is floored
        #expect(abs(levels[3] - -20) < 1e-5)  // 0.1 is not exact in Float
    }

    /// 1, 2, 3 against 1, 3, 2: deviations −1 0 1 and −1 1 0: Σxy = 1, Σx² = Σy² = 2, r = 0.5.
    @Test func pearsonByHand() {
        #expect(abs(AudioComparison.pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-12)
        #expect(abs(AudioComparison.pearson([1, 2, 3], [3, 2, 1]) - -1) < 1e-12)
        #expect(abs(AudioComparison.pearson([1, 2, 3], [1, 3, 2]) - 0.5) < 1e-12)
        #expect(AudioComparison.pearson([2, 2], [2, 2]) == 1)
        #expect(AudioComparison.pearson([2, 2], [1, 3]) == 0)
    }

    /// A constant gain changes every level by the same number of dB: correlation stays 1.
    @Test func gainDoesNotChangeEnvelopeCorrelation() {
        let a = steps([0.9, 0.3, 0.05, 0.6, 0.2])
        let b = a.map { $0 * 0.25 }
        #expect(abs(comparison.envelopeCorrelation([a], [b]) - 1) < 1e-12)
        #expect(abs(comparison.envelopeCorrelation([a, b], [a, b]) - 1) < 1e-12)
    }

    /// Frames silent in both signals are left out: levels (0, −20) against (−20, 0) give −1. Were
    /// the shared silent frame (−100, −100) counted, the correlation would be strongly positive.
    @Test func framesSilentInBothAreIgnored() {
        let a = steps([1, 0, 0.1]), b = steps([0.1, 0, 1])
        #expect(abs(comparison.envelopeCorrelation([a], [b]) - -1) < 1e-12)
        #expect(comparison.compare([a], [b]).envelopeFrames == 2)
        // A frame active in one signal only counts: levels (0, −100, −20) against (−20, −40, 0).
        let c = steps([0.1, 0.01, 1])
        let x: [Double] = [0, -100, -20], y: [Double] = [-20, -40, 0]
        #expect(abs(comparison.envelopeCorrelation([a], [c]) - AudioComparison.pearson(x, y)) < 1e-6)
    }

    /// The shorter signal is padded with silence.
    @Test func lengthsMayDiffer() {
        let a = steps([0.5, 0.25, 0.5]), b = steps([0.5, 0.25])
        // Levels (−6.02, −12.04, −6.02) against (−6.02, −12.04, −100).
        let x = [-6.020599913279624, -12.041199826559248, -6.020599913279624]
        let y = [-6.020599913279624, -12.041199826559248, -100]
        #expect(abs(comparison.envelopeCorrelation([a], [b]) - AudioComparison.pearson(x, y)) < 1e-9)
    }

    /// A full-scale sine at a bin centre reads 0 dB in its bin and −6.02 dB in each neighbour
    /// (periodic Hann), everything else at the floor (tolerances: the samples are Float).
    @Test func spectrumOfABinCentredSine() {
        var settings = AudioComparisonSettings()
        settings.fftSize = 64
        let analysis = AudioComparison(sampleRate: 1024, settings: settings)
        let spectrum = analysis.spectrum(sine(amplitude: 1, bin: 8, fftSize: 64, count: 64), from: 0, gain: 1)
        #expect(abs(spectrum.bins[8]) < 1e-6)
        #expect(abs(spectrum.bins[7] - -6.020599913279624) < 1e-6)
        #expect(abs(spectrum.bins[9] - -6.020599913279624) < 1e-6)
        #expect(spectrum.bins.enumerated().allSatisfy { [7, 8, 9].contains($0.offset) || $0.element == -100 })
        #expect(abs(spectrum.level - -3.010299956639812) < 1e-6)  // sine RMS = 1/√2
    }

    @Test func identicalAndScaledSignalsHaveZeroDistance() {
        let a: [Float] = (0..<8192).map { (index: Int) -> Float in
            let t = Double(index)
            let low: Double = sin(t * 0.05) * 0.3, high: Double = sin(t * 0.71) * 0.1
            return Float(low + high)
        }
        #expect(comparison.logSpectralDistance([a], [a]) == 0)
        #expect(comparison.logSpectralDistance([a], [a.map { $0 * 3 }]) < 1e-4)  // equal loudness first (Float rounding only)
    }

    /// Two equally loud sines at bins 8 and 16 (fftSize 64, hop 64, whole frames only). Normalized
    /// to −20 dBFS RMS, each has amplitude 0.1·√2: its bin reads 20·log10(0.1·√2) = −16.99 dB and
    /// its neighbours 6.02 dB less, −23.01 dB; the other signal has the −100 dB floor there. With
    /// bins 0...32 compared (lowest 0 Hz, highest 512 Hz at 1024 Hz), each frame has squared
    /// differences 2·(83.01² + 2·76.99²) over 33 bins; every frame is alike.
    @Test func distanceBetweenTwoSinesByHand() {
        var settings = AudioComparisonSettings()
        settings.fftSize = 64
        settings.hopSize = 64
        settings.lowestFrequency = 0
        settings.highestFrequency = 512
        let analysis = AudioComparison(sampleRate: 1024, settings: settings)
        #expect(analysis.comparedBins == 0...32)
        let a = sine(amplitude: 0.7, bin: 8, fftSize: 64, count: 640)
        let b = sine(amplitude: 0.2, bin: 16, fftSize: 64, count: 640)
        let peak = 100 + 20 * log10(0.1 * 2.0.squareRoot()), side = peak - 6.020599913279624
        let expected = ((2 * (peak * peak + 2 * side * side)) / 33).squareRoot()
        let result = analysis.compare([a], [b])
        #expect(result.spectralFrames == 10)
        #expect(abs(result.logSpectralDistance - expected) < 1e-6)
        #expect(abs(expected - 33.706) < 0.001)
    }

    @Test func silentSignalsCompareAsEqual() {
        let silence = [Float](repeating: 0, count: 4000)
        let result = comparison.compare([silence], [silence])
        #expect(result.envelopeCorrelation == 1)
        #expect(result.logSpectralDistance == 0)
        #expect(result.envelopeFrames == 0)
        #expect(result.spectralFrames == 0)
    }
}
