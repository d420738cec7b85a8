/// Decodes one compressed SF3 sample (an Ogg Vorbis stream cut from the smpl chunk) into 16-bit
/// points. AttaccaCore has no codec of its own: `AttaccaVorbis.VorbisDecoder` is the one in use.
public protocol CompressedSampleDecoder {
    func decode(_ stream: UnsafeRawBufferPointer) throws -> [Int16]
}
