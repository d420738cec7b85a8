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
