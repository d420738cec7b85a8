/// Decodes one compressed SF3 sample (an Ogg Vorbis stream cut from the smpl chunk) into 16-bit
/// points. AttaccaCore has no codec of its own: `AttaccaVorbis.VorbisDecoder` is the one in use.
/// `SoundFont.decompressed(with:concurrently:)` may call one decoder from several threads at once.
public protocol CompressedSampleDecoder {
    /// The whole stream decoded into a new array.
    func decode(_ stream: UnsafeRawBufferPointer) throws -> [Int16]
    /// How many points `decode(_:)` gives, told without decoding where the codec can (Vorbis:
    /// `ov_pcm_total`), so the loader can lay out one pool before decoding anything.
    func decodedLength(of stream: UnsafeRawBufferPointer) throws -> Int
    /// Decodes straight into `destination`, which holds exactly `decodedLength(of:)` points;
    /// throws when the stream gives a different number.
    func decode(_ stream: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Int16>) throws
}

extension CompressedSampleDecoder {
    /// Decodes to find out (for decoders that cannot tell the length more cheaply).
    public func decodedLength(of stream: UnsafeRawBufferPointer) throws -> Int { try decode(stream).count }

    /// Decodes into an array and copies it (for decoders without a direct path).
    public func decode(_ stream: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Int16>) throws {
        let points = try decode(stream)
        guard points.count == destination.count else { throw CompressedSampleLengthMismatch(expected: destination.count, decoded: points.count) }
        _ = destination.initialize(from: points)
    }
}
