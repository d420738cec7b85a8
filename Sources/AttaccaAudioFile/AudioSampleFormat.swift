import CSndFile

/// How samples are stored in the file. FLAC holds integers only.
public enum AudioSampleFormat: Sendable, Equatable {
    case int16
    case int24
    case float32

    /// Bits per stored sample.
    public var bitDepth: Int {
        switch self {
        case .int16: 16
        case .int24: 24
        case .float32: 32
        }
    }

    var sndfileSubtype: Int32 {
        switch self {
        case .int16: Int32(SF_FORMAT_PCM_16)
        case .int24: Int32(SF_FORMAT_PCM_24)
        case .float32: Int32(SF_FORMAT_FLOAT)
        }
    }

    init?(sndfileSubtype: Int32) {
        switch sndfileSubtype {
        case Int32(SF_FORMAT_PCM_16): self = .int16
        case Int32(SF_FORMAT_PCM_24): self = .int24
        case Int32(SF_FORMAT_FLOAT): self = .float32
        default: return nil
        }
    }
}
