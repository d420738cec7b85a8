#if canImport(Glibc)
import Glibc
#endif

extension SoundFont {
    /// Loads a SoundFont file. The whole file is read into memory this object owns and the smpl
    /// data is used in place there (copied only if the file puts it at an odd offset, where
    /// `Int16` reads would be misaligned). Not memory-mapped: a file truncated or rewritten while
    /// it plays would kill the process with SIGBUS; reading costs about 25 ms per 100 MB from the
    /// page cache. Opened non-blocking and checked to be a regular file first, so a FIFO or a
    /// device is refused rather than waited on.
    public convenience init(path: String) throws(SoundFontError) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: Self.errorText(code))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .unreadable(path: path, reason: Self.errorText(errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else { throw .emptyFile }
        guard size <= Int(UInt32.max) + 8 else { throw .fileTooLarge(size: size) }
        // 16-byte aligned, so smpl at an even offset is Int16-aligned in place.
        let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        var done = 0
        while done < size {
            let count = pread(fd, base + done, min(size - done, 1 << 30), off_t(done))
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard count > 0 else {
                let reason = count == 0 ? "the file shrank while it was read" : Self.errorText(errno)
                base.deallocate()
                throw .unreadable(path: path, reason: reason)
            }
            done += count
        }
        let parsed: SoundFontParser.Result
        do {
            parsed = try SoundFontParser.parse(UnsafeRawBufferPointer(start: base, count: size))
        } catch {
            base.deallocate()
            throw error
        }
        if parsed.sampleBytes.lowerBound % 2 == 0 {
            let points = parsed.sampleBytes.count / 2
            let sampleData = UnsafeBufferPointer(start: (base + parsed.sampleBytes.lowerBound).bindMemory(to: Int16.self, capacity: points),
                                                 count: points)
            let sampleData24 = parsed.sample24Bytes.map {
                UnsafeBufferPointer(start: (base + $0.lowerBound).assumingMemoryBound(to: UInt8.self), count: $0.count)
            }
            self.init(info: parsed.info, presets: parsed.presets, instruments: parsed.instruments, samples: parsed.samples,
                      sampleData: sampleData, sampleData24: sampleData24, storage: .allocated(base, nil))
        } else {
            let copy = Self.copySampleData(parsed, from: UnsafeRawPointer(base))
            base.deallocate()
            self.init(info: parsed.info, presets: parsed.presets, instruments: parsed.instruments, samples: parsed.samples,
                      sampleData: copy.sampleData, sampleData24: copy.sampleData24, storage: copy.storage)
        }
    }

    /// Parses a SoundFont held in memory; the sample data is copied once into aligned storage
    /// this object owns.
    public convenience init(bytes: [UInt8]) throws(SoundFontError) {
        let loaded = bytes.withUnsafeBytes { raw in
            Result { () throws(SoundFontError) in
                let parsed = try SoundFontParser.parse(raw)
                // The parser rejects an empty buffer, so a base address exists here.
                return (parsed, Self.copySampleData(parsed, from: raw.baseAddress!))
            }
        }
        let (parsed, copy) = try loaded.get()
        self.init(info: parsed.info, presets: parsed.presets, instruments: parsed.instruments, samples: parsed.samples,
                  sampleData: copy.sampleData, sampleData24: copy.sampleData24, storage: copy.storage)
    }

    /// Copies smpl (and sm24) out of the file bytes into freshly allocated, aligned buffers.
    private static func copySampleData(_ parsed: SoundFontParser.Result, from file: UnsafeRawPointer)
        -> (sampleData: UnsafeBufferPointer<Int16>, sampleData24: UnsafeBufferPointer<UInt8>?, storage: SampleStorage) {
        let points = parsed.sampleBytes.count / 2
        let samples = UnsafeMutableBufferPointer<Int16>.allocate(capacity: max(points, 1))
        UnsafeMutableRawPointer(samples.baseAddress!).copyMemory(from: file + parsed.sampleBytes.lowerBound, byteCount: 2 * points)
        var low: UnsafeMutableBufferPointer<UInt8>?
        if let range = parsed.sample24Bytes {
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(range.count, 1))
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: file + range.lowerBound, byteCount: range.count)
            low = buffer
        }
        return (UnsafeBufferPointer(rebasing: samples[0..<points]),
                low.map { UnsafeBufferPointer(rebasing: $0[0..<(parsed.sample24Bytes?.count ?? 0)]) },
                .allocated(UnsafeMutableRawPointer(samples.baseAddress!), low.map { UnsafeMutableRawPointer($0.baseAddress!) }))
    }

    private static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
