#if canImport(Glibc)
import Glibc
#endif

/// Compares two renders of the same material (each a list of channels, e.g. `[left, right]`):
///
/// - **Envelope correlation**: each channel is cut into `frameDuration` frames; a frame's level is
///   10·log10(mean square), floored at `silenceFloor` dB. Frames where both signals are below
///   `activityFloor` are left out; the result is the Pearson correlation of the two level
///   sequences over the remaining frames of all channels. 1 means the loudness contours move together.
/// - **Log-spectral distance**: both signals are scaled to the same overall RMS
///   (`loudnessReference`), cut into Hann-windowed `fftSize` frames every `hopSize` samples per
///   channel; in frames where at least one signal reaches `activityFloor`, the power of each bin
///   between `lowestFrequency` and `highestFrequency` is taken in dB (floored at `spectralFloor`),
///   and the result is the RMS, over all those frames and bins, of the difference between the two
///   signals' dB values. 0 means identical spectra; it is in dB.
///
/// Signals of different lengths are compared as if the shorter one were padded with silence.
public struct AudioComparison: Sendable {
    public let settings: AudioComparisonSettings
    public let sampleRate: Int
    let fft: FFT
    /// Periodic Hann, `fftSize` points.
    let window: [Double]

    public init(sampleRate: Int, settings: AudioComparisonSettings = .init()) {
        precondition(sampleRate > 0, "sample rate must be positive")
        self.sampleRate = sampleRate
        self.settings = settings
        fft = FFT(size: settings.fftSize)
        let n = settings.fftSize
        // Periodic Hann window.
        window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
    }

    public func compare(_ a: [[Float]], _ b: [[Float]]) -> Result {
        let envelope = envelopeCorrelationAndCount(a, b)
        let spectral = logSpectralDistanceAndCount(a, b)
        return Result(envelopeCorrelation: envelope.value, logSpectralDistance: spectral.value,
                      envelopeFrames: envelope.frames, spectralFrames: spectral.frames)
    }

    // MARK: Envelope correlation

    /// Frame length in samples for `frameDuration`.
    public var rmsFrameLength: Int { max(1, Int((settings.frameDuration * Double(sampleRate)).rounded())) }

    /// The dB level of each whole `frameDuration` frame of `samples`, floored at `silenceFloor`.
    public func rmsLevels(_ samples: [Float], frameCount: Int? = nil) -> [Double] {
        let length = rmsFrameLength
        let frames = frameCount ?? samples.count / length
        return (0..<frames).map { frame in
            var sum = 0.0
            let start = frame * length
            for index in start..<start + length where index < samples.count {
                let x = Double(samples[index])
                sum += x * x
            }
            return decibels(power: sum / Double(length), floor: settings.silenceFloor)
        }
    }

    /// Pearson correlation of the two signals' frame levels (see the type's description).
    /// 1 when no frame is active in either signal or neither level sequence varies and they are
    /// equal; 0 when only one of them is constant.
    public func envelopeCorrelation(_ a: [[Float]], _ b: [[Float]]) -> Double {
        envelopeCorrelationAndCount(a, b).value
    }

    private func envelopeCorrelationAndCount(_ a: [[Float]], _ b: [[Float]]) -> (value: Double, frames: Int) {
        precondition(a.count == b.count, "both signals need the same number of channels")
        var x: [Double] = [], y: [Double] = []
        for channel in 0..<a.count {
            let frames = max(a[channel].count, b[channel].count) / rmsFrameLength
            let levelsA = rmsLevels(a[channel], frameCount: frames)
            let levelsB = rmsLevels(b[channel], frameCount: frames)
            for frame in 0..<frames where max(levelsA[frame], levelsB[frame]) >= settings.activityFloor {
                x.append(levelsA[frame])
                y.append(levelsB[frame])
            }
        }
        return (Self.pearson(x, y), x.count)
    }

    /// Pearson correlation; 1 for identical constant sequences (and for none), 0 when one is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        guard !x.isEmpty else { return 1 }
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for index in x.indices {
            let dx = x[index] - meanX, dy = y[index] - meanY
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        if sxx == 0 || syy == 0 { return sxx == syy && x == y ? 1 : 0 }
        return sxy / (sxx * syy).squareRoot()
    }

    // MARK: Log-spectral distance

    /// The gain that brings `signal` (all channels together) to `loudnessReference` dBFS RMS;
    /// 1 for silence.
    public func loudnessGain(_ signal: [[Float]]) -> Double {
        var sum = 0.0, count = 0
        for channel in signal {
            for sample in channel { sum += Double(sample) * Double(sample) }
            count += channel.count
        }
        guard count > 0, sum > 0 else { return 1 }
        let rms = (sum / Double(count)).squareRoot()
        return pow(10, settings.loudnessReference / 20) / rms
    }

    /// The bins compared: centre frequency in `lowestFrequency...highestFrequency`, below Nyquist.
    public var comparedBins: ClosedRange<Int> {
        let binWidth = Double(sampleRate) / Double(settings.fftSize)
        let low = max(0, Int((settings.lowestFrequency / binWidth).rounded(.up)))
        let high = min(settings.fftSize / 2, Int((settings.highestFrequency / binWidth).rounded(.down)))
        return low...max(low, high)
    }

    /// The Hann-windowed power spectrum of `fftSize` samples of `samples` from `start` (zeros past
    /// the end), times `gain`, in dB relative to a full-scale sine's peak bin, floored at `spectralFloor`,
    /// with the frame's RMS level (dBFS, unwindowed).
    public func spectrum(_ samples: [Float], from start: Int, gain: Double) -> (bins: [Double], level: Double) {
        let n = settings.fftSize
        var frame = [Double](repeating: 0, count: n)
        var sum = 0.0
        for index in 0..<n where start + index < samples.count {
            let x = Double(samples[start + index]) * gain
            sum += x * x
            frame[index] = x * window[index]
        }
        // A sine of amplitude A at a bin centre gives |X| = A·Σw/2 with a Hann window (Σw = N/2).
        let reference = Double(n) / 4
        let scale = 1 / (reference * reference)
        let power = fft.powerSpectrum(of: frame)
        let bins = power.map { decibels(power: $0 * scale, floor: settings.spectralFloor) }
        return (bins, decibels(power: sum / Double(n), floor: settings.silenceFloor))
    }

    public func logSpectralDistance(_ a: [[Float]], _ b: [[Float]]) -> Double {
        logSpectralDistanceAndCount(a, b).value
    }

    private func logSpectralDistanceAndCount(_ a: [[Float]], _ b: [[Float]]) -> (value: Double, frames: Int) {
        precondition(a.count == b.count, "both signals need the same number of channels")
        let gainA = loudnessGain(a), gainB = loudnessGain(b)
        let bins = comparedBins
        var sum = 0.0, frames = 0
        for channel in 0..<a.count {
            let length = max(a[channel].count, b[channel].count)
            var start = 0
            while start < length {
                let spectrumA = spectrum(a[channel], from: start, gain: gainA)
                let spectrumB = spectrum(b[channel], from: start, gain: gainB)
                if max(spectrumA.level, spectrumB.level) >= settings.activityFloor {
                    for bin in bins {
                        let difference = spectrumA.bins[bin] - spectrumB.bins[bin]
                        sum += difference * difference
                    }
                    frames += 1
                }
                start += settings.hopSize
            }
        }
        guard frames > 0 else { return (0, 0) }
        return ((sum / Double(frames * bins.count)).squareRoot(), frames)
    }

    private func decibels(power: Double, floor: Double) -> Double {
        max(10 * log10(max(power, 1e-300)), floor)
    }
}
