import AttaccaALSA
import AttaccaLatency
import Testing

@Suite struct OnsetDetectorTests {
    /// Feeds `samples` in chunks of `chunk`; returns the onset found, if any.
    static func onset(in samples: [Float], chunk: Int = 64, detector: inout OnsetDetector) -> Int64? {
        var found: Int64?
        var index = 0
        while index < samples.count {
            let part = Array(samples[index..<min(index + chunk, samples.count)])
            let onset = part.withUnsafeBufferPointer { detector.append($0, startingAt: Int64(index)) }
            if found == nil { found = onset }
            index += chunk
        }
        return found
    }

    @Test func theThresholdIsInDecibelsOfFullScale() {
        #expect(abs(OnsetDetector(thresholdDecibels: -60).threshold - 0.001) < 1e-6)
        #expect(abs(OnsetDetector(thresholdDecibels: -6).threshold - 0.501) < 0.001)
    }

    @Test func anAttackIsFoundAtItsFirstNonZeroSampleAcrossChunks() {
        // Digital silence, then a note starting at frame 1000 growing 1e-5 per frame: it crosses
        // -60 dBFS 100 frames later, in another 64-frame chunk; the onset is still frame 1000.
        var samples = [Float](repeating: 0, count: 3000)
        for frame in 1000..<3000 { samples[frame] = Float(frame - 999) * 1e-5 * (frame % 2 == 0 ? 1 : -1) }
        var detector = OnsetDetector(thresholdDecibels: -60)
        detector.arm()
        #expect(Self.onset(in: samples, detector: &detector) == 1000)
    }

    @Test func ditheredSilenceStopsTheWalkBack() {
        // ±1 LSB of 16-bit noise before a note at frame 500 that grows 1e-5 per frame.
        var samples = (0..<1500).map { Float(($0 % 2) * 2 - 1) / 32768 }
        for frame in 500..<1500 { samples[frame] = Float(frame - 499) * 1e-5 }
        var detector = OnsetDetector(thresholdDecibels: -60)
        detector.arm()
        // No exact zero within reach: the first value above one step, frame 503 (4e-5).
        #expect(Self.onset(in: samples, detector: &detector) == 503)
    }

    @Test func nothingIsFoundUnlessArmedAndOnlyOncePerArming() {
        var samples = [Float](repeating: 0, count: 1000)
        samples[100] = 0.5
        samples[600] = 0.5
        var idle = OnsetDetector()
        #expect(Self.onset(in: samples, detector: &idle) == nil)
        var detector = OnsetDetector()
        detector.arm()
        var found: [Int64] = []
        for start in stride(from: 0, to: 1000, by: 50) {
            let part = Array(samples[start..<start + 50])
            if let onset = part.withUnsafeBufferPointer({ detector.append($0, startingAt: Int64(start)) }) { found.append(onset) }
        }
        #expect(found == [100])
    }

    @Test func quietAndZeroRunsAreCountedAtTheEnd() {
        var detector = OnsetDetector(thresholdDecibels: -60)
        let samples: [Float] = [0.5, 0.0005, 0, 1.0 / 32768, 0]
        _ = Self.onset(in: samples, detector: &detector)
        #expect(detector.quietFrames == 4)
        #expect(detector.silentFrames == 3)
    }

    @Test func captureFramesMapToTheClockThroughTheStatus() {
        // 1000 frames read, 96 more captured and waiting at htstamp 5 s: frame 1096 is being
        // captured at 5 s, frame 1000 was 96 frames (2 ms) earlier.
        #expect(CapturePCM.captureTime(ofFrame: 1096, statusNanoseconds: 5_000_000_000, framesRead: 1000, available: 96, rate: 48000)
            == 5_000_000_000)
        #expect(CapturePCM.captureTime(ofFrame: 1000, statusNanoseconds: 5_000_000_000, framesRead: 1000, available: 96, rate: 48000)
            == 4_998_000_000)
    }
}
