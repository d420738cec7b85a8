import CSndFile
import Glibc

/// Writes a stereo WAV or FLAC file through libsndfile.
///
/// Samples go to a hidden temporary file in the destination's folder, renamed over the
/// destination by `finish()`; a render that fails or is abandoned (the writer is dropped without
/// `finish()`) removes its temporary file, so no half-written file ever sits at `path`. Integer
/// formats clip out-of-range samples instead of wrapping them (SFC_SET_CLIPPING).
public struct AudioFileWriter: ~Copyable {
    public let path: String
    public let format: AudioFileFormat
    public let sampleFormat: AudioSampleFormat
    public let sampleRate: Int
    /// Frames written so far.
    public private(set) var frameCount: Int = 0

    private let temporaryPath: String
    /// `path`, or the file it links to: what `finish()` replaces.
    private let targetPath: String
    private var file: OpaquePointer?
    /// Interleaves left and right for sf_writef_float; allocated once.
    private let interleaved: UnsafeMutablePointer<Float>
    /// Interleaves 16-bit points for sf_writef_short; allocated once.
    private let interleaved16: UnsafeMutablePointer<Int16>
    private static let chunkFrames = 4096

    public init(path: String, format: AudioFileFormat, sampleRate: Int,
                sampleFormat: AudioSampleFormat = .int16) throws(AudioFileError) {
        if format == .flac && sampleFormat == .float32 {
            throw .unsupported(path: path, reason: "FLAC holds 16- or 24-bit integer samples, not float")
        }
        guard sampleRate > 0, sampleRate <= 655_350 else {
            throw .unsupported(path: path, reason: "sample rate \(sampleRate) Hz is out of range")
        }
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 2
        info.format = format.sndfileType | sampleFormat.sndfileSubtype
        guard sf_format_check(&info) != 0 else {
            throw .unsupported(path: path, reason: "libsndfile cannot write \(sampleFormat.bitDepth)-bit \(format.rawValue) at \(sampleRate) Hz")
        }
        // The finished file is renamed over the destination: that would replace a device, a
        // pipe or a socket (as root, `-o /dev/null` would replace /dev/null), so only a regular
        // file (or nothing) may be there. A symbolic link is followed, so the file it points to
        // is replaced rather than the link.
        var target = path
        var status = stat()
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw .cannotCreate(path: path, reason: "it is a folder")
            default: throw .cannotCreate(path: path, reason: "it exists and is not a regular file (a device, pipe or socket)")
            }
            var link = stat()
            if lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK, let resolved = realpath(path, nil) {
                target = String(cString: resolved)
                free(resolved)
            }
        }

        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[...$0]) } ?? ""
        var name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        // The temporary name adds up to 22 bytes (".", ".<pid>-<n>.partial"); a name near
        // NAME_MAX (255 bytes) is shortened for it, whole characters at a time.
        while name.utf8.count > 255 - 22 { name.removeLast() }
        // A fresh name: another writer (in this process or another) may be writing the same output.
        var temporaryPath = ""
        var descriptor: Int32 = -1
        for attempt in 0..<100 {
            temporaryPath = "\(folder).\(name).\(getpid())\(attempt == 0 ? "" : "-\(attempt)").partial"
            descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        guard let file = sf_open_fd(descriptor, Int32(SFM_WRITE), &info, 1) else {
            let reason = AudioFileError.tidy(String(cString: sf_strerror(nil)))
            close(descriptor)
            unlink(temporaryPath)
            throw .cannotCreate(path: path, reason: reason)
        }
        if sampleFormat != .float32 {
            sf_command(file, Int32(SFC_SET_CLIPPING), nil, 1)
        }
        self.path = path
        self.format = format
        self.sampleFormat = sampleFormat
        self.sampleRate = sampleRate
        self.temporaryPath = temporaryPath
        self.targetPath = target
        self.file = file
        self.interleaved = .allocate(capacity: 2 * Self.chunkFrames)
        self.interleaved16 = .allocate(capacity: 2 * Self.chunkFrames)
    }

    deinit {
        interleaved.deallocate()
        interleaved16.deallocate()
        if let file {
            sf_close(file)
            unlink(temporaryPath)
        }
    }

    /// Appends `frameCount` frames. Throws when the system takes fewer than that (disk full, file
    /// size limit, I/O error); the writer is then unusable and its temporary file is removed.
    /// A sample as a 16-bit point: × 32768 (libsndfile's scale), clipped, rounded to nearest
    /// (ties to even) by adding 1.5 × 2^23, after which the point is the float's low 16 bits.
    /// A NaN comes out as 0 (the low bits of a quiet NaN). Converting here and writing shorts
    /// spares libsndfile's per-sample conversion.
    @inline(__always)
    static func point16(_ x: Float) -> Int16 {
        var scaled = x * 32768
        scaled = scaled < -32768 ? -32768 : (scaled > 32767 ? 32767 : scaled)
        return Int16(truncatingIfNeeded: (scaled + 12_582_912).bitPattern)
    }

    /// `point16` for four samples: each lane's low 16 bits are its point.
    @inline(__always)
    static func points16(_ x: SIMD4<Float>) -> SIMD4<UInt32> {
        var scaled = x * 32768
        scaled.replace(with: -32768, where: scaled .< -32768)
        scaled.replace(with: 32767, where: scaled .> 32767)
        return unsafeBitCast(scaled + SIMD4<Float>(repeating: 12_582_912), to: SIMD4<UInt32>.self)
    }

    public mutating func write(left: UnsafePointer<Float>, right: UnsafePointer<Float>, frameCount: Int) throws(AudioFileError) {
        guard let file else { throw .writeFailed(path: path, reason: "the file is already finished or failed") }
        var done = 0
        while done < frameCount {
            let count = min(frameCount - done, Self.chunkFrames)
            let written: sf_count_t
            if sampleFormat == .int16 {
                var frame = 0
                while frame &+ 4 <= count {
                    let l = Self.points16(UnsafeRawPointer(left + done + frame).loadUnaligned(as: SIMD4<Float>.self))
                    let r = Self.points16(UnsafeRawPointer(right + done + frame).loadUnaligned(as: SIMD4<Float>.self))
                    let out = interleaved16 + 2 &* frame
                    out[0] = Int16(truncatingIfNeeded: l[0]); out[1] = Int16(truncatingIfNeeded: r[0])
                    out[2] = Int16(truncatingIfNeeded: l[1]); out[3] = Int16(truncatingIfNeeded: r[1])
                    out[4] = Int16(truncatingIfNeeded: l[2]); out[5] = Int16(truncatingIfNeeded: r[2])
                    out[6] = Int16(truncatingIfNeeded: l[3]); out[7] = Int16(truncatingIfNeeded: r[3])
                    frame &+= 4
                }
                while frame < count {
                    interleaved16[2 * frame] = Self.point16(left[done + frame])
                    interleaved16[2 * frame + 1] = Self.point16(right[done + frame])
                    frame &+= 1
                }
                written = sf_writef_short(file, interleaved16, sf_count_t(count))
            } else {
                for frame in 0..<count {
                    interleaved[2 * frame] = left[done + frame]
                    interleaved[2 * frame + 1] = right[done + frame]
                }
                written = sf_writef_float(file, interleaved, sf_count_t(count))
            }
            guard written == count else { throw fail(file) }
            done += count
        }
        self.frameCount += frameCount
    }

    /// Completes the file (headers, FLAC's final frame) and moves it to `path`.
    public mutating func finish() throws(AudioFileError) {
        guard let file else { throw .writeFailed(path: path, reason: "the file is already finished or failed") }
        sf_write_sync(file)
        let error = sf_error(file)
        guard error == 0 else { throw fail(file) }
        self.file = nil
        let closeStatus = sf_close(file)
        guard closeStatus == 0 else {
            unlink(temporaryPath)
            throw .writeFailed(path: path, reason: AudioFileError.tidy(String(cString: sf_error_number(closeStatus))))
        }
        guard rename(temporaryPath, targetPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw .writeFailed(path: path, reason: reason)
        }
    }

    /// Closes and removes the temporary file after a failure, keeping libsndfile's reason.
    private mutating func fail(_ file: OpaquePointer) -> AudioFileError {
        let reason = AudioFileError.tidy(String(cString: sf_strerror(file)))
        sf_close(file)
        unlink(temporaryPath)
        self.file = nil
        return .writeFailed(path: path, reason: reason)
    }
}
