/// Why an SF3 font's compressed samples could not be decoded.
public enum CompressedSampleError: Error, Equatable, CustomStringConvertible {
    /// The sample header's byte range lies outside the smpl chunk.
    case outOfRange(sample: String, start: Int, end: Int, chunkBytes: Int)
    /// The decoder refused the stream.
    case undecodable(sample: String, reason: String)

    public var description: String {
        switch self {
        case .outOfRange(let sample, let start, let end, let bytes):
            "compressed sample \"\(sample)\" spans bytes \(start)...\(end), past the \(bytes)-byte smpl chunk"
        case .undecodable(let sample, let reason):
            "compressed sample \"\(sample)\" cannot be decoded: \(reason)"
        }
    }
}
