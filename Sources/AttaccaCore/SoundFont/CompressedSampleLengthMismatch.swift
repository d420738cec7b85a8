/// A stream that decoded to another number of points than `decodedLength(of:)` said.
public struct CompressedSampleLengthMismatch: Error, Equatable, CustomStringConvertible {
    public let expected: Int
    public let decoded: Int

    public var description: String { "decoded \(decoded) points where its length said \(expected)" }
}
