import CSndFile

/// A whole audio file decoded to floats, one array per channel. For tests and analysis: reads any
/// format libsndfile knows.
public struct AudioFileReader {
    public let sampleRate: Int
    /// Samples per channel, nominally in -1...1.
    public let channels: [[Float]]
    /// The container, when it is one `AudioFileWriter` writes.
    public let format: AudioFileFormat?
    /// How samples are stored, when it is one `AudioFileWriter` writes.
    public let sampleFormat: AudioSampleFormat?

    public var frameCount: Int { channels.first?.count ?? 0 }
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    public init(path: String) throws(AudioFileError) {
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            throw .cannotOpen(path: path, reason: AudioFileError.tidy(String(cString: sf_strerror(nil))))
        }
        defer { sf_close(file) }
        let channelCount = Int(info.channels)
        var interleaved = [Float](repeating: 0, count: 4096 * channelCount)
        var channels = [[Float]](repeating: [], count: channelCount)
        for index in 0..<channelCount { channels[index].reserveCapacity(Int(info.frames)) }
        while true {
            let read = Int(sf_readf_float(file, &interleaved, 4096))
            guard read > 0 else { break }
            for frame in 0..<read {
                for channel in 0..<channelCount {
                    channels[channel].append(interleaved[frame * channelCount + channel])
                }
            }
        }
        guard sf_error(file) == 0 else {
            throw .readFailed(path: path, reason: AudioFileError.tidy(String(cString: sf_strerror(file))))
        }
        self.sampleRate = Int(info.samplerate)
        self.channels = channels
        let type = info.format & Int32(SF_FORMAT_TYPEMASK)
        self.format = AudioFileFormat.allCases.first { $0.sndfileType == type }
        self.sampleFormat = AudioSampleFormat(sndfileSubtype: info.format & Int32(SF_FORMAT_SUBMASK))
    }
}
