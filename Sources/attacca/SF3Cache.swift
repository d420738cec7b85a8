import AttaccaAssets
import AttaccaCore
import Glibc

/// An SF3's decoded samples kept on disk, so that a font decoded once loads as an SF2 does from
/// then on: mapped, in milliseconds, where decoding its Ogg Vorbis streams takes seconds.
///
/// The cache file is an SF2 of its own: the headers and 16-bit points `SoundFont.decompressed`
/// gives (and the font's presets, which are not read back: they come from the SF3 each time).
/// One file per SF3 path, named by a hash of its real path, in `$ATTACCA_SF3_CACHE` (`off`: no
/// cache), else `$XDG_CACHE_HOME/attacca/sf3`, else `~/.cache/attacca/sf3`. Its INFO comment
/// holds the SF3's identity (real path's hash, device, inode, size, modification time to the
/// nanosecond): a cache that does not match it, does not parse, or whose samples do not fit the
/// SF3's headers is not used, and the next full decode replaces it. Written to a temporary name
/// and renamed, so a reader never sees half a file.
struct SF3Cache {
    /// The folder holding the cache files.
    var folder: String

    /// The cache the environment asks for; nil when `ATTACCA_SF3_CACHE=off` or no folder is known.
    static var standard: SF3Cache? {
        if let chosen = environment("ATTACCA_SF3_CACHE") {
            return chosen == "off" ? nil : SF3Cache(folder: chosen)
        }
        if let cache = environment("XDG_CACHE_HOME"), cache.hasPrefix("/") { return SF3Cache(folder: cache + "/attacca/sf3") }
        if let home = environment("HOME"), home.hasPrefix("/") { return SF3Cache(folder: home + "/.cache/attacca/sf3") }
        return nil
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// Who an SF3 file is: its cache file's name and the identity stored in it.
    struct Identity: Equatable {
        var fileName: String
        var key: String
    }

    /// The identity of the file at `path` now; nil if it cannot be resolved or stat'ed.
    static func identity(of path: String) -> Identity? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        var status = stat()
        guard stat(resolved, &status) == 0 else { return nil }
        // FNV-1a, 64 bits, over the real path's bytes: a name, not a secret.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var byte = UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self)
        while byte.pointee != 0 {
            hash = (hash ^ UInt64(byte.pointee)) &* 0x100_0000_01b3
            byte += 1
        }
        let name = String(hash, radix: 16)
        let key = "attacca sf3 cache 1: path \(name), device \(status.st_dev), inode \(status.st_ino), size \(status.st_size), "
            + "modified \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        return Identity(fileName: name + ".sf2", key: key)
    }

    func file(_ identity: Identity) -> String { folder + "/" + identity.fileName }

    /// `compressed` (the SF3 at `path`, as parsed) with its samples from the cache, or nil when
    /// the cache has none that fit.
    func load(for path: String, compressed: SoundFont) -> SoundFont? {
        guard let identity = Self.identity(of: path),
              let cached = try? SoundFont(path: file(identity)),
              cached.info.comment == identity.key,
              cached.samples.count == compressed.samples.count
        else { return nil }
        var headers: [SampleHeader] = []
        headers.reserveCapacity(cached.samples.count)
        for (stored, original) in zip(cached.samples, compressed.samples) {
            guard stored.sampleRate == original.sampleRate, stored.originalPitch == original.originalPitch,
                  stored.pitchCorrection == original.pitchCorrection, stored.sampleLink == original.sampleLink,
                  stored.sampleType == original.sampleType & ~SoundFont.compressedSampleType
            else { return nil }
            var header = stored
            header.name = original.name  // SF2 names are 20 bytes of UTF-8 in the cache: keep the SF3's own
            headers.append(header)
        }
        return compressed.sharingSamples(headers, of: cached)
    }

    /// Writes `decoded` (every sample of the SF3 at `path` decoded) as the cache for `path`.
    /// Throws a line saying what failed; a failure leaves no partial file.
    func store(_ decoded: SoundFont, for path: String) throws {
        guard let identity = Self.identity(of: path) else { throw CommandFailure("cannot read '\(path)' again to name its SF3 cache") }
        try Self.makeFolders(folder)
        var info = SoundFontInfo()
        info.versionMajor = 2
        info.versionMinor = 4
        info.name = "SF3 samples, decoded"
        info.software = "Attacca"
        info.comment = identity.key
        let (head, tail) = SoundFontWriter.parts(for: decoded, info: info)
        var template = Array("\(folder)/.\(identity.fileName).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw CommandFailure("cannot write the SF3 cache in \(folder): \(Self.errorText())") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var failure = head.withUnsafeBytes { Self.writeAll(descriptor, $0) }
            ?? Self.writeAll(descriptor, UnsafeRawBufferPointer(decoded.sampleData))
            ?? tail.withUnsafeBytes { Self.writeAll(descriptor, $0) }
        if close(descriptor) != 0, failure == nil { failure = Self.errorText() }
        if failure == nil, rename(temporary, file(identity)) != 0 { failure = Self.errorText() }
        if let failure {
            unlink(temporary)
            throw CommandFailure("cannot write the SF3 cache \(file(identity)): \(failure)")
        }
    }

    /// Writes every byte, retrying short writes and EINTR; the error's text, or nil.
    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errorText()
            }
            offset += written
        }
        return nil
    }

    /// `mkdir -p`, private to the user for the folders it makes.
    private static func makeFolders(_ path: String) throws {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw CommandFailure("cannot make the SF3 cache folder \(prefix): \(errorText())")
            }
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
