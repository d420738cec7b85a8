import AttaccaCore
import CVorbis

/// Decodes SF3 samples with libvorbisfile, reading the stream from memory (the smpl chunk already
/// loaded), to 16-bit signed little-endian points as FluidSynth's decoder produces them. Mono only,
/// as SF3 stores every channel as a sample of its own.
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

    public func decode(_ stream: UnsafeRawBufferPointer) throws -> [Int16] {
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
            let total = ov_pcm_total(&file, -1)
            var points = [Int16](repeating: 0, count: max(Int(total), 0))
            var decoded = 0
            var section: Int32 = 0
            var chunk = [Int16](repeating: 0, count: 4096)
            while true {
                let bytes = chunk.withUnsafeMutableBytes {
                    ov_read(&file, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count), 0, 2, 1, &section)
                }
                if bytes == 0 { break }
                guard bytes > 0 else {
                    if bytes == Int(OV_HOLE) { continue }  // a gap in the stream: go on with the next page
                    throw Failure(description: "libvorbisfile read error \(bytes) after \(decoded) points")
                }
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
}
