/// Why a `Synthesizer` could not be created.
public enum SynthesizerError: Error, CustomStringConvertible, Equatable {
    case invalidSampleRate(Int)
    case invalidPolyphony(Int)
    case noPresets
    case invalidSampleReference(instrument: String, sampleIndex: Int)
    /// An SF3 font whose Ogg Vorbis samples were not decoded (`SoundFont.decompressed(with:)`).
    case compressedSamples
    /// Preset zones × instrument zones beyond `RegionTable.regionLimit` (memory bounded by content).
    case tooManyRegions(count: Int, limit: Int)
    /// Merged modulator lists beyond `RegionTable.modulatorLimit`.
    case tooManyModulators(limit: Int)

    public var description: String {
        switch self {
        case .invalidSampleRate(let rate): return "sample rate \(rate) is outside 8000...384000"
        case .invalidPolyphony(let count): return "polyphony \(count) is outside 1...4096"
        case .noPresets: return "the SoundFont has no presets"
        case .invalidSampleReference(let instrument, let index):
            return "instrument \"\(SoundFontError.printable(instrument))\" names sample \(index), which does not exist"
        case .tooManyRegions(let count, let limit):
            return "its presets name their instruments' zones \(count) times, more than the \(limit) regions "
                + "its size allows (32768 plus one per KiB of sample data)"
        case .tooManyModulators(let limit):
            return "its zones' modulators add up to more than the \(limit) entries its size allows"
        case .compressedSamples: return "the SoundFont's samples are Ogg Vorbis compressed (SF3) and were not decoded"
        }
    }
}
