import AttaccaAudioFile
import Glibc
import Testing

private func write(_ left: [Float], _ right: [Float], to path: String, format: AudioFileFormat,
                   sampleRate: Int = 48000, sampleFormat: AudioSampleFormat = .int16, blockSize: Int = 1000) throws {
    var writer = try AudioFileWriter(path: path, format: format, sampleRate: sampleRate, sampleFormat: sampleFormat)
    var start = 0
    while start < left.count {
        let count = min(blockSize, left.count - start)
        try left.withUnsafeBufferPointer { l in
            try right.withUnsafeBufferPointer { r in
                try writer.write(left: l.baseAddress! + start, right: r.baseAddress! + start, frameCount: count)
            }
        }
        start += count
    }
    #expect(writer.frameCount == left.count)
    try writer.finish()
}

private let sine = (0..<10_000).map { Float(0.5 * sin(Double($0) * 2 * .pi * 440 / 48000)) }
private let ramp = (0..<10_000).map { Float($0 % 200) / 200 - 0.5 }

@Suite struct AudioFileTests {
    @Test(arguments: [
        (AudioFileFormat.wav, AudioSampleFormat.int16, Float(1) / 32768),
        (.wav, .int24, Float(1) / 8_388_608),
        (.wav, .float32, 0),
        (.flac, .int16, Float(1) / 32768),
        (.flac, .int24, Float(1) / 8_388_608),
    ])
    func roundTrip(format: AudioFileFormat, sampleFormat: AudioSampleFormat, tolerance: Float) throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = "\(folder.path)/out.\(format.rawValue)"
        try write(sine, ramp, to: path, format: format, sampleRate: 44100, sampleFormat: sampleFormat)
        #expect(folder.entries == ["out.\(format.rawValue)"])

        let file = try AudioFileReader(path: path)
        #expect(file.sampleRate == 44100)
        #expect(file.channels.count == 2)
        #expect(file.frameCount == sine.count)
        #expect(file.format == format)
        #expect(file.sampleFormat == sampleFormat)
        let leftError = zip(file.channels[0], sine).map { abs($0 - $1) }.max() ?? .infinity
        let rightError = zip(file.channels[1], ramp).map { abs($0 - $1) }.max() ?? .infinity
        #expect(leftError <= tolerance)
        #expect(rightError <= tolerance)
    }

    @Test func integerFormatsClipInsteadOfWrapping() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = "\(folder.path)/loud.wav"
        try write([1.5, -2, 0.25], [40, -0.999, 1], to: path, format: .wav)
        let file = try AudioFileReader(path: path)
        #expect(file.channels[0][0] > 0.999)
        #expect(file.channels[0][1] == -1)
        #expect(file.channels[0][2] == 0.25)
        #expect(file.channels[1][0] > 0.999)
        #expect(file.channels[1][2] > 0.999)
    }

    /// 16-bit points are converted by the writer itself (× 32768, clipped, to nearest with ties to
    /// even, a NaN as 0), in its four-frame loop and in the single frames after it (7 frames here).
    @Test func sixteenBitPointsAreRoundedToNearest() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = "\(folder.path)/points.wav"
        let lsb: Float = 1.0 / 32768
        let left: [Float] = [0.5 * lsb, 1.5 * lsb, 1.4 * lsb, -1.6 * lsb, .nan, 3, -3]
        let right: [Float] = [-2.5 * lsb, 2.6 * lsb, 0, -0.4 * lsb, 1, -1, 32766.5 * lsb]
        try write(left, right, to: path, format: .wav)
        let file = try AudioFileReader(path: path)
        let codes = file.channels.map { $0.map { Int(($0 * 32768).rounded()) } }
        #expect(codes[0] == [0, 2, 1, -2, 0, 32767, -32768])
        #expect(codes[1] == [-2, 3, 0, 0, 32767, -32768, 32766])
    }

    @Test func floatWAVKeepsSamplesBeyondFullScale() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = "\(folder.path)/hot.wav"
        try write([1.5, -2], [0, 0], to: path, format: .wav, sampleFormat: .float32)
        #expect(try AudioFileReader(path: path).channels[0] == [1.5, -2])
    }

    @Test func missingFolderThrowsAndLeavesNothing() {
        let path = "/tmp/attacca-no-such-folder-\(getpid())/out.wav"
        #expect(throws: AudioFileError.cannotCreate(path: path, reason: "No such file or directory")) {
            _ = try AudioFileWriter(path: path, format: .wav, sampleRate: 48000)
        }
        #expect(access(path, F_OK) != 0)
    }

    @Test func folderAsOutputThrows() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: AudioFileError.self) {
            _ = try AudioFileWriter(path: folder.path, format: .wav, sampleRate: 48000)
        }
        #expect(folder.entries.isEmpty)
    }

    @Test func floatFLACIsRejected() {
        #expect(throws: AudioFileError.self) {
            _ = try AudioFileWriter(path: "/tmp/x.flac", format: .flac, sampleRate: 48000, sampleFormat: .float32)
        }
    }

    /// Until `finish()`, the destination does not exist; a writer dropped unfinished leaves no file.
    @Test func unfinishedWriterLeavesNoFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = "\(folder.path)/partial.flac"
        do {
            var writer = try AudioFileWriter(path: path, format: .flac, sampleRate: 48000)
            try sine.withUnsafeBufferPointer { try writer.write(left: $0.baseAddress!, right: $0.baseAddress!, frameCount: $0.count) }
            #expect(access(path, F_OK) != 0)
            #expect(folder.entries.count == 1)  // the hidden temporary file
            #expect(folder.entries.first?.hasPrefix(".partial.flac.") == true)
        }
        #expect(folder.entries.isEmpty)
    }

    /// Two writers to one path do not share a temporary file; the one finishing last wins.
    @Test func twoWritersToOnePath() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = "\(folder.path)/both.wav"
        var first = try AudioFileWriter(path: path, format: .wav, sampleRate: 48000)
        var second = try AudioFileWriter(path: path, format: .wav, sampleRate: 48000)
        #expect(folder.entries.count == 2)
        try sine.withUnsafeBufferPointer {
            try first.write(left: $0.baseAddress!, right: $0.baseAddress!, frameCount: 100)
            try second.write(left: $0.baseAddress!, right: $0.baseAddress!, frameCount: 200)
        }
        try first.finish()
        try second.finish()
        #expect(try AudioFileReader(path: path).frameCount == 200)
        #expect(folder.entries == ["both.wav"])
    }

    @Test func finishReplacesAnExistingFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = "\(folder.path)/again.wav"
        try write(sine, sine, to: path, format: .wav)
        try write([0.5, 0.5], [0.5, 0.5], to: path, format: .wav)
        #expect(try AudioFileReader(path: path).frameCount == 2)
        #expect(folder.entries == ["again.wav"])
    }

    @Test func formatFromFileName() {
        #expect(AudioFileFormat(path: "a/b.WAV") == .wav)
        #expect(AudioFileFormat(path: "song.flac") == .flac)
        #expect(AudioFileFormat(path: "song.mp3") == nil)
        #expect(AudioFileFormat(path: "dir.wav/song") == nil)
        #expect(AudioFileFormat(path: "song") == nil)
    }

    @Test func readerRejectsMissingAndNonAudioFiles() {
        #expect(throws: AudioFileError.self) { _ = try AudioFileReader(path: "/nonexistent.wav") }
        #expect(throws: AudioFileError.self) { _ = try AudioFileReader(path: "/etc/hostname") }
    }
}
