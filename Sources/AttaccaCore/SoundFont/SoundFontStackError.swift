/// Why several SoundFonts could not be stacked into one.
public enum SoundFontStackError: Error, Equatable, CustomStringConvertible {
    /// Generators address instruments and samples with 16 bits: the merged font has too many.
    case tooLarge(instruments: Int, samples: Int)

    public var description: String {
        switch self {
        case .tooLarge(let instruments, let samples):
            "the SoundFont stack has \(instruments) instruments and \(samples) samples; at most 32767 of each fit"
        }
    }
}
