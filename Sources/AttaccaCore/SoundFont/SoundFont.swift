/// A parsed SoundFont 2 file: presets, instruments, sample headers and the sample data.
///
/// Sample data stays where it was loaded (memory-mapped for files) and is never copied; the
/// synthesizer reads it through `sampleData` for as long as it holds this object.
public final class SoundFont: @unchecked Sendable {
    public let info: SoundFontInfo
    public let presets: [Preset]
    public let instruments: [Instrument]
    public let samples: [SampleHeader]
    /// The smpl chunk: 16-bit sample points, little-endian as on every target Attacca runs on.
    public let sampleData: UnsafeBufferPointer<Int16>
    /// The sm24 chunk (the low byte of 24-bit samples), when the file has one of the right size.
    public let sampleData24: UnsafeBufferPointer<UInt8>?

    /// Who owns the memory behind `sampleData`; released in `deinit`.
    let storage: SampleStorage

    /// Builds a SoundFont from parts already in memory (tests, generated fonts). The sample data
    /// is copied once into storage this object owns.
    public init(info: SoundFontInfo = SoundFontInfo(), presets: [Preset], instruments: [Instrument],
                samples: [SampleHeader], sampleData: [Int16], sampleData24: [UInt8]? = nil) {
        let owned = UnsafeMutableBufferPointer<Int16>.allocate(capacity: max(sampleData.count, 1))
        _ = owned.initialize(from: sampleData)
        var owned24: UnsafeMutableBufferPointer<UInt8>?
        if let sampleData24, sampleData24.count == sampleData.count {
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(sampleData24.count, 1))
            _ = buffer.initialize(from: sampleData24)
            owned24 = buffer
        }
        self.info = info
        self.presets = presets
        self.instruments = instruments
        self.samples = samples
        self.sampleData = UnsafeBufferPointer(rebasing: owned[0..<sampleData.count])
        self.sampleData24 = owned24.map { UnsafeBufferPointer($0) }
        self.storage = .allocated(UnsafeMutableRawPointer(owned.baseAddress!), owned24.map { UnsafeMutableRawPointer($0.baseAddress!) })
    }

    /// Designated initializer for the parser: takes ownership of `storage`.
    init(info: SoundFontInfo, presets: [Preset], instruments: [Instrument], samples: [SampleHeader],
         sampleData: UnsafeBufferPointer<Int16>, sampleData24: UnsafeBufferPointer<UInt8>?, storage: SampleStorage) {
        self.info = info
        self.presets = presets
        self.instruments = instruments
        self.samples = samples
        self.sampleData = sampleData
        self.sampleData24 = sampleData24
        self.storage = storage
    }

    deinit { storage.release() }
}
