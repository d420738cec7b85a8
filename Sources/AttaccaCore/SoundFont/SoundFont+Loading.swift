#if canImport(Glibc)
import Glibc
#endif

extension SoundFont {
    /// Loads a SoundFont file. The file is memory-mapped read-only and the smpl data is used in
    /// place (copied only if the file puts it at an odd offset, where `Int16` reads would be
    /// misaligned); the mapping lives as long as this object. `MappedFileGuard` watches it: if
    /// the file is truncated while in use, what was cut off reads as zeros instead of killing
    /// the process with SIGBUS. Opened non-blocking and checked to be a regular file first, so
    /// a FIFO or a device is refused rather than waited on.
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
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .unreadable(path: path, reason: Self.errorText(errno))
        }
        MappedFileGuard.register(base, length: size)
        let parsed: SoundFontParser.Result
        do {
            parsed = try SoundFontParser.parse(UnsafeRawBufferPointer(start: base, count: size))
        } catch {
            MappedFileGuard.unregister(base)
            munmap(base, size)
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
                      sampleData: sampleData, sampleData24: sampleData24, storage: .mapped(base, size))
        } else {
            let copy = Self.copySampleData(parsed, from: UnsafeRawPointer(base))
            MappedFileGuard.unregister(base)
            munmap(base, size)
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
