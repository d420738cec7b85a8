import CSndFile

/// The containers `AudioFileWriter` writes.
public enum AudioFileFormat: String, CaseIterable, Sendable {
    case wav
    case flac

    /// The format a file name asks for: `.wav` or `.flac`, in any letter case; nil otherwise.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }

    var sndfileType: Int32 {
        switch self {
        case .wav: Int32(SF_FORMAT_WAV)
        case .flac: Int32(SF_FORMAT_FLAC)
        }
    }
}
