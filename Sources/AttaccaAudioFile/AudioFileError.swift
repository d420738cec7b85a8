/// Why an audio file could not be written or read. Each case reads as one line for the user;
/// `reason` is the system's or libsndfile's own message.
public enum AudioFileError: Error, Equatable, CustomStringConvertible {
    /// The container cannot hold these samples (e.g. float samples in FLAC).
    case unsupported(path: String, reason: String)
    case cannotCreate(path: String, reason: String)
    /// Writing or finishing failed part-way, e.g. the disk is full; nothing is left at `path`.
    case writeFailed(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupported(let path, let reason): "cannot write '\(path)': \(reason)"
        case .cannotCreate(let path, let reason): "cannot create '\(path)': \(reason)"
        case .writeFailed(let path, let reason): "writing '\(path)' failed: \(reason)"
        case .cannotOpen(let path, let reason): "cannot open audio file '\(path)': \(reason)"
        case .readFailed(let path, let reason): "reading '\(path)' failed: \(reason)"
        }
    }

    /// libsndfile's messages look like "System error : No such file or directory." — keep the reason.
    static func tidy(_ message: String) -> String {
        var text = Substring(message)
        if let colon = text.firstRange(of: "System error : ") { text = text[colon.upperBound...] }
        while let last = text.last, last == "." || last == " " || last == "\n" { text = text.dropLast() }
        return String(text)
    }
}
