#if canImport(Glibc)
import Glibc
#endif

extension AudioComparison {
    /// The bands `bandLevels` reports by default: 50 Hz to 24 kHz (48 kHz's Nyquist) in six.
    public static let levelBands: [(low: Double, high: Double)] = [(50, 500), (500, 2000), (2000, 5000), (5000, 10000),
                                                                   (10000, 16000), (16000, 24000)]

    /// `a`'s level minus `b`'s per band (dB), from power spectra averaged over the whole of each
    /// (Hann, `fftSize` points every `hopSize`, all channels), without loudness normalisation:
    /// two engines at the same gain compare as they play, so a negative figure is a band where
    /// `a` is quieter. Complements the log-spectral distance, which normalises and so cannot
    /// tell a band that is missing from one that is louder elsewhere.
    public func bandLevels(_ a: [[Float]], _ b: [[Float]], bands: [(low: Double, high: Double)] = levelBands) -> [Double] {
        let size = settings.fftSize
        func spectrum(_ signal: [[Float]]) -> [Double] {
            var sum = [Double](repeating: 0, count: size / 2 + 1)
            for channel in signal {
                var start = 0
                while start + size <= channel.count {
                    let power = fft.powerSpectrum(of: (0..<size).map { Double(channel[start + $0]) * window[$0] })
                    for k in 0..<sum.count { sum[k] += power[k] }
                    start += settings.hopSize
                }
            }
            return sum
        }
        let powerA = spectrum(a), powerB = spectrum(b)
        return bands.map { band in
            var inA = 0.0, inB = 0.0
            for k in 0..<powerA.count {
                let frequency = Double(k) * Double(sampleRate) / Double(size)
                if frequency >= band.low && frequency < band.high { inA += powerA[k]; inB += powerB[k] }
            }
            return 10 * log10(max(inA, 1e-30) / max(inB, 1e-30))
        }
    }
}
