#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loop of `length` sample points holding exactly `periods` periods of the fundamental.
///
/// Every harmonic then also completes a whole number of cycles in the loop, so a tone built from
/// harmonics is exactly periodic over the loop and the jump from loop end to loop start is
/// seamless. The fundamental is `periods * sampleRate / length`; the search picks the length
/// that puts it within a small fraction of a cent of the wanted key.
struct PeriodicLoop {
    let length: Int
    let periods: Int
    let sampleRate: Int

    var frequency: Double { Double(periods) * Double(sampleRate) / Double(length) }

    /// The MIDI key of the recorded pitch (SampleHeader.originalPitch).
    var originalPitch: Int { Int(SoundFontUnits.key(ofFrequency: frequency).rounded()) }

    /// Cents to add on playback so the pitch is exactly `originalPitch` (SampleHeader.pitchCorrection):
    /// minus how far the sample is above its key, rounded to the cent the header can store.
    var pitchCorrection: Int {
        let cents = (SoundFontUnits.key(ofFrequency: frequency) - Double(originalPitch)) * 100
        return -Int(cents.rounded())
    }

    /// How far, in cents, the pitch the header states (originalPitch, pitchCorrection) is from the real one.
    var headerErrorCents: Double {
        let stated = Double(originalPitch) - Double(pitchCorrection) / 100
        return (SoundFontUnits.key(ofFrequency: frequency) - stated) * 100
    }

    /// The loop whose fundamental is closest to `key`, with a length in `lengths`.
    static func closest(toKey key: Int, sampleRate: Int, lengths: ClosedRange<Int>) -> PeriodicLoop {
        let target = SoundFontUnits.frequency(ofKey: Double(key))
        var best = PeriodicLoop(length: lengths.lowerBound, periods: 1, sampleRate: sampleRate)
        var bestError = Double.infinity
        for length in lengths {
            let periods = Int((target * Double(length) / Double(sampleRate)).rounded())
            guard periods >= 1 else { continue }
            let candidate = PeriodicLoop(length: length, periods: periods, sampleRate: sampleRate)
            let error = abs(1200 * log2(candidate.frequency / target))
            if error < bestError {
                best = candidate
                bestError = error
            }
        }
        return best
    }

    /// Phase, in cycles within 0..<1, of harmonic `harmonic` at point `index` of the loop: computed
    /// with integers so the loop repeats bit for bit.
    func phase(harmonic: Int, index: Int) -> Double {
        Double((harmonic * periods * index) % length) / Double(length)
    }
}
