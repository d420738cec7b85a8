import Glibc
import Testing
@testable import AttaccaCore

/// The chorus against its definition: each tap is the input delayed by 1 + depth/2 · (1 + sin)
/// frames, linearly interpolated, with the taps' phases spread over the period.
@Suite struct ChorusTests {
    static func reference(_ x: [Float], rate: Int, settings: ChorusSettings) -> ([Float], [Float]) {
        let swing = settings.depth / 1000 * Double(rate) / 2
        let n = settings.voiceCount
        func delayed(_ i: Int, _ delay: Double) -> Float {
            // x at time i − delay, linear between the neighbouring points (0 before the start).
            let position = Double(i) - delay
            let whole = Int(position.rounded(.down)), fraction = Float(position - Double(whole))
            let a = whole >= 0 ? x[whole] : 0, b = whole + 1 >= 0 && whole + 1 < x.count ? x[whole + 1] : 0
            return a + fraction * (b - a)
        }
        let wet = settings.level / 3
        let wet1 = Float(n > 1 ? wet * 5.5 : settings.level), wet2 = Float(n > 1 ? wet * -4.5 : 0)
        var left = [Float](repeating: 0, count: x.count), right = left
        for i in 0..<x.count {
            var even: Float = 0, odd: Float = 0, last: Float = 0
            for k in 0..<n {
                let phase = 2 * Double.pi * Double(k) / Double(n) + 2 * Double.pi * settings.speed * Double(i) / Double(rate)
                last = delayed(i, 1 + swing + swing * Double(Float(sin(phase))))
                if k % 2 == 0 { even += last } else { odd += last }
            }
            if n % 2 == 1 { odd += last }
            left[i] = even * wet1 + odd * wet2
            right[i] = odd * wet1 + even * wet2
        }
        return (left, right)
    }

    static func run(_ chorus: inout Chorus, _ input: [Float], block: Int = 64) -> ([Float], [Float]) {
        var left = [Float](repeating: 0, count: input.count), right = left
        var offset = 0
        while offset < input.count {
            let count = min(block, input.count - offset)
            input.withUnsafeBufferPointer { x in
                left.withUnsafeMutableBufferPointer { l in
                    right.withUnsafeMutableBufferPointer { r in
                        chorus.process(x.baseAddress! + offset, count: count, left: l.baseAddress! + offset, right: r.baseAddress! + offset)
                    }
                }
            }
            offset += count
        }
        return (left, right)
    }

    @Test(arguments: [1, 3, 4])
    func matchesTheModulatedDelayDefinition(voices: Int) {
        let rate = 48000
        // A chirp-like signal so every delay shows; fast speed so the sweep moves within the test.
        let input = (0..<24000).map { i in Float(sin(Double(i) * 0.01 + Double(i * i) * 1e-7)) }
        let settings = ChorusSettings(voiceCount: voices, level: 0.6, speed: 5, depth: 8)
        var chorus = Chorus(settings: settings, sampleRate: rate)
        let actual = Self.run(&chorus, input, block: 37)
        let expected = Self.reference(input, rate: rate, settings: settings)
        var worst: Float = 0
        for i in 0..<input.count {
            worst = max(worst, abs(actual.0[i] - expected.0[i]), abs(actual.1[i] - expected.1[i]))
        }
        #expect(worst < 2e-3)
        if voices > 1 { #expect(actual.0 != actual.1) } else { #expect(actual.0 == actual.1) }
    }

    @Test func goesIdleAfterSilence() {
        var chorus = Chorus(settings: ChorusSettings(), sampleRate: 48000)
        var input = [Float](repeating: 0, count: 4800)
        input[0] = 1
        let (left, _) = Self.run(&chorus, input)
        #expect(left.contains { $0 != 0 })
        let idle = chorus.isIdle
        #expect(idle)
    }
}
