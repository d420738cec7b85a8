import CALSA

/// The sample formats the audio loop can write, little-endian as on every machine Attacca runs on.
public enum PCMFormat: String, CaseIterable, Sendable {
    case s16 = "S16"
    /// 24 bits in the low three bytes of a 32-bit word (`S24_LE`).
    case s24 = "S24"
    /// 24 bits packed in three bytes (`S24_3LE`), as many USB interfaces want.
    case s24Packed = "S24_3"
    case s32 = "S32"
    case float = "FLOAT"

    /// The order tried when no format is asked for: the most resolution first, float last
    /// (hardware rarely takes it and a plug layer would convert it back).
    public static let preference: [PCMFormat] = [.s32, .s24, .s24Packed, .s16, .float]

    public var alsaFormat: snd_pcm_format_t {
        switch self {
        case .s16: SND_PCM_FORMAT_S16_LE
        case .s24: SND_PCM_FORMAT_S24_LE
        case .s24Packed: SND_PCM_FORMAT_S24_3LE
        case .s32: SND_PCM_FORMAT_S32_LE
        case .float: SND_PCM_FORMAT_FLOAT_LE
        }
    }

    /// Bytes one sample of one channel takes in the interleaved buffer.
    public var bytesPerSample: Int {
        switch self {
        case .s16: 2
        case .s24Packed: 3
        case .s24, .s32, .float: 4
        }
    }

    /// alsa-lib's name (`S16_LE`), as `aplay` and `attacca devices` show it.
    public var alsaName: String { String(cString: snd_pcm_format_name(alsaFormat)) }

    /// Parses `S16`, `s16_le`, `S24_3LE`, `float` and the like.
    public init?(name: String) {
        var upper = name.uppercased()
        if upper.hasSuffix("_LE") { upper.removeLast(3) } else if upper.hasSuffix("LE") && upper.hasPrefix("S24_3") { upper = "S24_3" }
        if upper == "FLOAT32" || upper == "F32" { upper = "FLOAT" }
        guard let format = PCMFormat(rawValue: upper) else { return nil }
        self = format
    }
}
