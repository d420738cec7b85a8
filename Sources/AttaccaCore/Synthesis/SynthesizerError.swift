/// Why a `Synthesizer` could not be created.
public enum SynthesizerError: Error, CustomStringConvertible, Equatable {
    case invalidSampleRate(Int)
    case invalidPolyphony(Int)
    case noPresets
    case invalidSampleReference(instrument: String, sampleIndex: Int)
    /// An SF3 font whose Ogg Vorbis samples were not decoded (`SoundFont.decompressed(with:)`).
    case compressedSamples

    public var description: String {
        switch self {
        case .invalidSampleRate(let rate): return "sample rate \(rate) is outside 8000...384000"
        case .invalidPolyphony(let count): return "polyphony \(count) is outside 1...4096"
        case .noPresets: return "the SoundFont has no presets"
        case .invalidSampleReference(let instrument, let index):
            return "instrument \"\(instrument)\" names sample \(index), which does not exist"
        case .compressedSamples: return "the SoundFont's samples are Ogg Vorbis compressed (SF3) and were not decoded"
        }
    }
}
