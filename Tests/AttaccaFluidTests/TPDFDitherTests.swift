import AttaccaAudioFile
import Glibc
import Testing

/// TPDF dither: its statistics, and what it does to a 16-bit file.
@Suite struct TPDFDitherTests {
    /// Within ±1 LSB, mean 0, variance 1/6 LSB² (two uniforms of variance 1/12), triangular:
    /// P(|x| < ½) = 1 - (½)² = ¾, and successive values uncorrelated.
    @Test func hasTriangularStatistics() {
        var dither = TPDFDither()
        let n = 1_000_000
        var sum = 0.0, squares = 0.0, inner = 0, lag = 0.0, previous = 0.0
        var batch = SIMD4<Float>()
        var smallest = Float.infinity, largest = -Float.infinity
        for index in 0..<n {
            // The values in the order `apply` uses them: each draw gives four frames of one channel.
            if index % 4 == 0 { batch = dither.next() }
            let x = batch[index % 4]
            smallest = min(smallest, x)
            largest = max(largest, x)
            sum += Double(x)
            squares += Double(x) * Double(x)
            if abs(x) < 0.5 { inner += 1 }
            lag += Double(x) * previous
            previous = Double(x)
        }
        #expect(smallest > -1 && largest < 1)
        #expect(smallest < -0.99 && largest > 0.99)
        #expect(abs(sum / Double(n)) < 0.002)
        #expect(abs(squares / Double(n) - 1.0 / 6) < 0.002)
        #expect(abs(Double(inner) / Double(n) - 0.75) < 0.002)
        #expect(abs(lag / squares) < 0.005)
    }

    /// A constant of a quarter LSB: rounded plainly it vanishes (all zeros); dithered, the 16-bit
    /// file holds -1, 0 and 1 whose mean is the quarter LSB.
    @Test func ditheredFileKeepsDetailBelowOneLSB() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let frames = 200_000
        var means: [Double] = []
        for dithered in [false, true] {
            let path = "\(folder.path)/q\(dithered).wav"
            var writer = try AudioFileWriter(path: path, format: .wav, sampleRate: 48000, sampleFormat: .int16)
            var left = [Float](repeating: 0.25 * TPDFDither.leastSignificantBit, count: frames), right = left
            var dither = TPDFDither()
            left.withUnsafeMutableBufferPointer { l in
                right.withUnsafeMutableBufferPointer { r in
                    if dithered { dither.apply(left: l.baseAddress!, right: r.baseAddress!, frameCount: frames) }
                }
            }
            try writer.write(left: left, right: right, frameCount: frames)
            try writer.finish()
            let codes = try AudioFileReader(path: path).channels[0].map { Int(($0 * 32768).rounded()) }
            #expect(Set(codes).isSubset(of: dithered ? [-1, 0, 1] : [0]))
            means.append(Double(codes.reduce(0, +)) / Double(frames))
        }
        #expect(means[0] == 0)
        #expect(abs(means[1] - 0.25) < 0.01, "dithered mean \(means[1]) LSB")
    }
}
