import Glibc
@testable import AttaccaCore

/// Helpers for measuring rendered audio.
enum Measure {
    /// Frequency from interpolated upward zero crossings between `from` and the end.
    static func frequency(_ signal: [Float], sampleRate: Int, from: Int = 0) -> Double {
        var first = -1.0, last = -1.0, count = 0
        for i in max(from, 1)..<signal.count where signal[i - 1] < 0 && signal[i] >= 0 {
            let a = Double(signal[i - 1]), b = Double(signal[i])
            let t = Double(i - 1) + (-a) / (b - a)
            if first < 0 { first = t }
            last = t
            count += 1
        }
        guard count > 1 else { return 0 }
        return Double(count - 1) / (last - first) * Double(sampleRate)
    }

    /// Amplitude of the `frequency` component over `range` (one DFT bin, Hann window, so a
    /// full-scale sine there measures about 1).
    static func amplitude(_ signal: [Float], at frequency: Double, _ range: Range<Int>, sampleRate: Int) -> Double {
        var re = 0.0, im = 0.0, weight = 0.0
        let n = Double(range.count)
        for (j, i) in range.enumerated() {
            let w = 0.5 - 0.5 * cos(2 * Double.pi * Double(j) / n)
            let phase = 2 * Double.pi * frequency * Double(i) / Double(sampleRate)
            re += Double(signal[i]) * w * cos(phase)
            im += Double(signal[i]) * w * sin(phase)
            weight += w
        }
        return 2 * (re * re + im * im).squareRoot() / weight
    }

    /// Frequency from zero crossings inside `range` only.
    static func frequency(_ signal: [Float], sampleRate: Int, in range: Range<Int>) -> Double {
        frequency(Array(signal[range]), sampleRate: sampleRate)
    }

    /// Root mean square over a range.
    static func rms(_ signal: [Float], _ range: Range<Int>) -> Double {
        var sum = 0.0
        for i in range { sum += Double(signal[i]) * Double(signal[i]) }
        return (sum / Double(range.count)).squareRoot()
    }

    /// Sends each message to the synthesizer.
    static func send(_ synth: inout Synthesizer, _ messages: [MidiMessage]) {
        for message in messages { synth.send(message) }
    }

    /// Peak absolute value in a range.
    static func peak(_ signal: [Float], _ range: Range<Int>) -> Float {
        var m: Float = 0
        for i in range { m = max(m, abs(signal[i])) }
        return m
    }

    /// Renders `frames` frames in blocks of `block`, returning left and right.
    static func render(_ synth: inout Synthesizer, frames: Int, block: Int = 512) -> (left: [Float], right: [Float]) {
        var left = [Float](repeating: 0, count: frames), right = [Float](repeating: 0, count: frames)
        var offset = 0
        while offset < frames {
            let n = min(block, frames - offset)
            left.withUnsafeMutableBufferPointer { l in
                right.withUnsafeMutableBufferPointer { r in
                    synth.render(left: l.baseAddress! + offset, right: r.baseAddress! + offset, frameCount: n)
                }
            }
            offset += n
        }
        return (left, right)
    }
}
