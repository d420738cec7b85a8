#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions from physical values to the integer units SF2 generators store (SF2 2.04 section 8.1.3).
enum SoundFontUnits {
    /// Envelope and LFO times: timecents, 1200 * log2(seconds).
    static func timecents(_ seconds: Double) -> Int16 {
        Int16((1200 * log2(seconds)).rounded())
    }

    /// Filter cutoff and LFO frequency: absolute cents above 8.176 Hz.
    static func absoluteCents(_ hertz: Double) -> Int16 {
        Int16((1200 * log2(hertz / 8.176)).rounded())
    }

    /// keyRange / velRange amount: low byte lo, high byte hi.
    static func range(_ range: ClosedRange<Int>) -> Int16 {
        Int16(bitPattern: UInt16(range.lowerBound) | UInt16(range.upperBound) << 8)
    }

    /// Frequency in Hz of a (fractional) MIDI key in equal temperament, A4 = key 69 = 440 Hz.
    static func frequency(ofKey key: Double) -> Double {
        440 * pow(2, (key - 69) / 12)
    }

    /// Fractional MIDI key of a frequency.
    static func key(ofFrequency hertz: Double) -> Double {
        69 + 12 * log2(hertz / 440)
    }
}
