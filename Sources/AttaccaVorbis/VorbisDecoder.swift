import AttaccaCore
import CVorbis

/// Decodes SF3 samples with libvorbisfile, reading the stream from memory (the smpl chunk already
/// loaded), to 16-bit signed little-endian points as FluidSynth's decoder produces them. Mono only,
/// as SF3 stores every channel as a sample of its own. Holds no state: several threads may decode
/// with one value at once (`SoundFont.decompressed(with:concurrently:)`).
public struct VorbisDecoder: CompressedSampleDecoder {
    public init() {}

    /// Why a stream could not be decoded: libvorbisfile's error code and what it means.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Where the callbacks read: the stream and the position in it.
    private struct Source {
        var base: UnsafeRawPointer?
        var count: Int
        var offset = 0
    }

    /// Points per `ov_read` call into the scratch buffer of `decode(_:)`.
    private static let chunkPoints = 4096

    /// The stream's length in points as libvorbisfile reports it (`ov_pcm_total`, from the last
    /// page's granule position: the headers and the last pages are read, no audio is decoded).
    public func decodedLength(of stream: UnsafeRawBufferPointer) throws -> Int {
        try withOpenStream(stream) { file in try Self.total(&file) }
    }

    /// Decodes straight into `destination`, which must hold exactly `ov_pcm_total` points: a
    /// stream yielding fewer or more is refused rather than cut or padded.
    public func decode(_ stream: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Int16>) throws {
        try withOpenStream(stream) { file in
            let total = try Self.total(&file)
            guard total == destination.count else {
                throw Failure(description: "ov_pcm_total is \(total) points, \(destination.count) expected")
            }
            var decoded = 0
            while decoded < total {
                let bytes = try Self.read(&file, into: UnsafeMutableRawPointer(destination.baseAddress! + decoded),
                                          byteCount: (total - decoded) * 2, decoded: decoded)
                guard bytes > 0 else {
                    throw Failure(description: "the stream ends after \(decoded) points, ov_pcm_total says \(total)")
                }
                decoded += bytes / 2
            }
            // Nothing may follow: one more read must find the end of the stream.
            var extra = (Int16(0), Int16(0))
            let more = try withUnsafeMutableBytes(of: &extra) { try Self.read(&file, into: $0.baseAddress!, byteCount: $0.count, decoded: decoded) }
            guard more == 0 else {
                throw Failure(description: "the stream holds more than the \(total) points ov_pcm_total says")
            }
        }
    }

    /// Decodes the whole stream into a new array, as long as it runs (the simple path; the loader
    /// uses `decodedLength(of:)` and `decode(_:into:)`).
    public func decode(_ stream: UnsafeRawBufferPointer) throws -> [Int16] {
        try withOpenStream(stream) { file in
            var points = [Int16](repeating: 0, count: try Self.total(&file))
            var decoded = 0
            var chunk = [Int16](repeating: 0, count: Self.chunkPoints)
            while true {
                let bytes = try chunk.withUnsafeMutableBytes {
                    try Self.read(&file, into: $0.baseAddress!, byteCount: $0.count, decoded: decoded)
                }
                if bytes == 0 { break }
                let count = bytes / 2
                if decoded + count > points.count { points.append(contentsOf: repeatElement(0, count: decoded + count - points.count)) }
                points.withUnsafeMutableBufferPointer { p in
                    chunk.withUnsafeBufferPointer { c in
                        (p.baseAddress! + decoded).update(from: c.baseAddress!, count: count)
                    }
                }
                decoded += count
            }
            if decoded < points.count { points.removeLast(points.count - decoded) }
            return points
        }
    }

    /// `ov_pcm_total` of the whole stream, refused when libvorbisfile cannot tell it.
    private static func total(_ file: inout OggVorbis_File) throws -> Int {
        let total = ov_pcm_total(&file, -1)
        guard total >= 0 else { throw Failure(description: "ov_pcm_total failed (libvorbisfile error \(total))") }
        return Int(total)
    }

    /// One `ov_read` of at most `byteCount` bytes of 16-bit signed little-endian points: the bytes
    /// read, 0 at the end of the stream. Holes (a gap between pages) are skipped.
    private static func read(_ file: inout OggVorbis_File, into buffer: UnsafeMutableRawPointer, byteCount: Int, decoded: Int) throws -> Int {
        var section: Int32 = 0
        while true {
            let bytes = ov_read(&file, buffer.assumingMemoryBound(to: CChar.self), Int32(min(byteCount, Int(Int32.max))), 0, 2, 1, &section)
            if bytes >= 0 { return Int(bytes) }
            if bytes == Int(OV_HOLE) { continue }  // a gap in the stream: go on with the next page
            throw Failure(description: "libvorbisfile read error \(bytes) after \(decoded) points")
        }
    }

    /// Opens `stream` with libvorbisfile (seekable callbacks over memory), checks it is mono and
    /// runs `body` on it; the decoder state is freed on return.
    private func withOpenStream<T>(_ stream: UnsafeRawBufferPointer, _ body: (inout OggVorbis_File) throws -> T) throws -> T {
        var source = Source(base: stream.baseAddress, count: stream.count)
        var callbacks = ov_callbacks()
        callbacks.read_func = { buffer, size, items, data in
            let source = data!.assumingMemoryBound(to: Source.self)
            let wanted = size * items
            let available = max(0, source.pointee.count - source.pointee.offset)
            let n = min(wanted, available)
            if n > 0, let base = source.pointee.base {
                buffer!.copyMemory(from: base + source.pointee.offset, byteCount: n)
                source.pointee.offset += n
            }
            return size == 0 ? 0 : n / size
        }
        callbacks.seek_func = { data, offset, whence in
            let source = data!.assumingMemoryBound(to: Source.self)
            let target: Int
            switch whence {
            case SEEK_SET: target = Int(offset)
            case SEEK_CUR: target = source.pointee.offset + Int(offset)
            case SEEK_END: target = source.pointee.count + Int(offset)
            default: return -1
            }
            guard target >= 0, target <= source.pointee.count else { return -1 }
            source.pointee.offset = target
            return 0
        }
        callbacks.close_func = nil
        callbacks.tell_func = { data in
            Int(data!.assumingMemoryBound(to: Source.self).pointee.offset)
        }
        return try withUnsafeMutablePointer(to: &source) { sourcePointer in
            var file = OggVorbis_File()
            let opened = ov_open_callbacks(sourcePointer, &file, nil, 0, callbacks)
            guard opened == 0 else { throw Failure(description: "not an Ogg Vorbis stream (libvorbisfile error \(opened))") }
            defer { ov_clear(&file) }
            guard let info = ov_info(&file, -1), info.pointee.channels == 1 else {
                throw Failure(description: "\(ov_info(&file, -1)?.pointee.channels ?? 0) channels; SF3 samples are mono")
            }
            return try body(&file)
        }
    }
}
