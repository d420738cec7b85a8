/// Why a SoundFont file could not be loaded. Every case names the chunk or record at fault,
/// and `description` says it in one line.
public enum SoundFontError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist (ENOENT).
    case fileNotFound(path: String)
    /// The file exists but could not be opened, inspected or mapped; `reason` is the errno text.
    case unreadable(path: String, reason: String)
    /// The file or buffer has no bytes at all.
    case emptyFile
    /// Larger than any RIFF file can be (a RIFF size field is 32 bits).
    case fileTooLarge(size: Int)
    /// The first four bytes are not "RIFF".
    case notRIFF
    /// A RIFF file of another form type (e.g. "WAVE"), not "sfbk".
    case notSoundFont(formType: String)
    /// A chunk declares more bytes than its file or parent chunk holds.
    case truncatedChunk(id: String, declaredSize: Int, availableSize: Int)
    /// A hydra chunk whose size is not a whole number of its fixed-size records.
    case chunkSizeNotMultiple(id: String, size: Int, recordSize: Int)
    /// A fixed-size chunk (ifil) with the wrong size.
    case invalidChunkSize(id: String, size: Int, expected: Int)
    /// A chunk the format requires is absent (ifil, the three LISTs, the nine hydra chunks).
    case missingChunk(id: String)
    /// A hydra chunk without its terminal record (EOP, EOI, EOS, or the terminal bag).
    case missingTerminalRecord(chunk: String)
    /// A SoundFont of a version this reader cannot play (SF1, or SF3 with compressed samples).
    case unsupportedVersion(major: Int, minor: Int)
    /// A bag, generator or modulator index smaller than the one in the previous record.
    case indexOutOfOrder(chunk: String, record: Int, index: Int, previous: Int)
    /// A bag, generator or modulator index beyond the chunk it points into.
    case indexOutOfRange(chunk: String, record: Int, index: Int, count: Int)
    /// A preset zone names an instrument that does not exist.
    case instrumentIndexOutOfRange(preset: String, zone: Int, index: Int, count: Int)
    /// An instrument zone names a sample that does not exist.
    case sampleIndexOutOfRange(instrument: String, zone: Int, index: Int, count: Int)
    /// A sample header whose start/end lie outside the smpl data, or whose end precedes its start.
    case sampleOutOfRange(sample: String, start: Int, end: Int, sampleDataCount: Int)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "SoundFont file not found: \(path)"
        case .unreadable(let path, let reason):
            return "cannot read SoundFont file \(path): \(reason)"
        case .emptyFile:
            return "the SoundFont file is empty"
        case .fileTooLarge(let size):
            return "the file is too large for a SoundFont (\(size) bytes; RIFF allows at most 4 GiB)"
        case .notRIFF:
            return "not a RIFF file: the file does not start with \"RIFF\""
        case .notSoundFont(let formType):
            return "not a SoundFont: the RIFF form type is \"\(Self.printable(formType))\", expected \"sfbk\""
        case .truncatedChunk(let id, let declared, let available):
            return "\(Self.printable(id)) chunk truncated: it declares \(declared) bytes but only \(available) are available"
        case .chunkSizeNotMultiple(let id, let size, let recordSize):
            return "\(Self.printable(id)) chunk size \(size) is not a multiple of its \(recordSize)-byte record size"
        case .invalidChunkSize(let id, let size, let expected):
            return "\(Self.printable(id)) chunk has \(size) bytes, expected \(expected)"
        case .missingChunk(let id):
            return "required chunk \(Self.printable(id)) is missing"
        case .missingTerminalRecord(let chunk):
            return "\(Self.printable(chunk)) chunk has no terminal record"
        case .unsupportedVersion(let major, let minor):
            return "unsupported SoundFont version \(major).\(minor) (only 2.x is supported)"
        case .indexOutOfOrder(let chunk, let record, let index, let previous):
            return "\(Self.printable(chunk)) record \(record): index \(index) is smaller than the previous record's \(previous)"
        case .indexOutOfRange(let chunk, let record, let index, let count):
            return "\(Self.printable(chunk)) record \(record): index \(index) is beyond the \(count) records it points into"
        case .instrumentIndexOutOfRange(let preset, let zone, let index, let count):
            return "preset \"\(Self.printable(preset))\" zone \(zone): instrument \(index) does not exist (the file has \(count))"
        case .sampleIndexOutOfRange(let instrument, let zone, let index, let count):
            return "instrument \"\(Self.printable(instrument))\" zone \(zone): sample \(index) does not exist (the file has \(count))"
        case .sampleOutOfRange(let sample, let start, let end, let count):
            return "sample \"\(Self.printable(sample))\": start \(start) / end \(end) outside the \(count) points of smpl data or end before start"
        }
    }

    /// Names and chunk ids come from the file: control characters (a newline in a preset name)
    /// are shown as "?" so the description stays one line.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? "?" : scalar
        }))
    }
}
