import AttaccaAudioFile
import Foundation
import Testing

private let fluidR3Mono = "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3"

/// The SF3 cache (`SF3Cache`): a full decode is written once and read back by later loads, in
/// place of decoding; a cache that no longer fits its SF3, or is broken, is not used; one that
/// cannot be written is a warning. Each test copies FluidR3Mono_GM.sf3 and uses a cache folder
/// of its own (`ATTACCA_SF3_CACHE`; `CommandRunner` turns the cache off otherwise).
@Suite(.serialized, .enabled(if: CommandRunner.executable != nil && FileManager.default.isReadableFile(atPath: fluidR3Mono),
                             "no attacca binary, or fluidr3mono-gm-soundfont is not installed"))
struct SF3CacheTests {
    /// A copy of the SF3, the chord to render, and a cache folder, in a fresh folder.
    struct Setup {
        let files: TestFiles
        let font: String
        let midi: String
        let cache: String

        init() throws {
            files = try TestFiles()
            font = files.path("font.sf3")
            // The Debian path is a relative symbolic link: copy what it points to.
            try FileManager.default.copyItem(at: URL(fileURLWithPath: fluidR3Mono).resolvingSymlinksInPath(),
                                             to: URL(fileURLWithPath: font))
            midi = try files.write(TestFiles.organChord, to: "chord.mid")
            cache = files.path("cache")
        }

        /// Renders the chord with the cache at `cache` ("off" for none); the left channel, and stderr.
        /// Float samples: no dither, so silence is exact zeros.
        func render(_ name: String, all: Bool, cache: String) throws -> (samples: [Float], errors: String) {
            let out = files.path("\(name).wav")
            let result = try CommandRunner.run(["render", midi, "-o", out, "--rate", "22050", "--tail", "0", "--bit-depth", "32", "-s", font]
                + (all ? ["--sf3-samples", "all"] : []), environment: ["ATTACCA_SF3_CACHE": cache])
            #expect(result.status == 0, "\(result.standardError)")
            return (try AudioFileReader(path: out).channels[0], result.standardError)
        }

        /// The cache folder's entries, hidden ones included.
        var cacheEntries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).sorted() }

        var cacheFile: String? { cacheEntries.first.map { cache + "/" + $0 } }
    }

    /// Zeroes every point of the smpl chunk of the SF2 at `path` (its size unchanged).
    static func zeroPoints(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let smpl = try #require(data.range(of: Data("smpl".utf8)))
        let size = data[smpl.upperBound..<(smpl.upperBound + 4)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(smpl.upperBound + 4))
        try handle.write(contentsOf: Data(count: size))
    }

    static func peak(_ samples: [Float]) -> Float { samples.reduce(0) { max($0, abs($1)) } }

    /// Written by a full decode (one file, no temporary left, 124.3 MB of points and more), read
    /// back by the next render, which then sounds exactly as a decode does; zeroing the cache's
    /// points silences that render, which shows the samples come from the cache. Once the SF3's
    /// modification time changes the cache is not used (the chord sounds again) and the next full
    /// decode replaces it.
    @Test func aFullDecodeIsCachedAndReadBack() throws {
        let setup = try Setup()
        defer { setup.files.remove() }
        let reference = try setup.render("reference", all: true, cache: "off").samples
        #expect(Self.peak(reference) > 0.01)
        #expect(setup.cacheEntries.isEmpty)

        let written = try setup.render("written", all: true, cache: setup.cache).samples
        #expect(written == reference)
        try #require(setup.cacheEntries.count == 1, "\(setup.cacheEntries)")
        let file = try #require(setup.cacheFile)
        #expect(file.hasSuffix(".sf2") && !setup.cacheEntries[0].hasPrefix("."))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size > 124_300_000, "\(size) bytes")

        #expect(try setup.render("cached", all: false, cache: setup.cache).samples == reference)
        try Self.zeroPoints(file)
        #expect(Self.peak(try setup.render("zeroed", all: false, cache: setup.cache).samples) == 0)

        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: setup.font)
        #expect(try setup.render("changed", all: false, cache: setup.cache).samples == reference)
        #expect(try setup.render("rewritten", all: true, cache: setup.cache).samples == reference)
        #expect(try setup.render("cached again", all: false, cache: setup.cache).samples == reference)
        #expect(setup.cacheEntries.count == 1, "\(setup.cacheEntries)")
    }

    /// A cache file cut short is not used (the render decodes, as without a cache) and the next
    /// full decode replaces it; a cache folder that cannot be made is one warning line, and the
    /// render goes on and exits 0.
    @Test func aBrokenOrUnwritableCacheIsNotAnError() throws {
        let setup = try Setup()
        defer { setup.files.remove() }
        let reference = try setup.render("reference", all: true, cache: setup.cache).samples
        let file = try #require(setup.cacheFile)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.truncate(atOffset: 1000)
        try handle.close()
        let cut = try setup.render("cut", all: false, cache: setup.cache)
        #expect(cut.samples == reference && cut.errors.split(separator: "\n").allSatisfy { !$0.contains("warning") }, "\(cut.errors)")
        _ = try setup.render("rewritten", all: true, cache: setup.cache)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size > 124_300_000, "\(size) bytes")

        let blocked = setup.files.path("not-a-folder")
        _ = try setup.files.write([0], to: "not-a-folder")
        let warned = try setup.render("warned", all: true, cache: blocked + "/sf3")
        #expect(warned.samples == reference)
        let warnings = warned.errors.split(separator: "\n").filter { $0.hasPrefix("attacca: warning: ") }
        #expect(warnings.count == 1 && warnings[0].contains("cannot make the SF3 cache folder \(blocked)"), "\(warned.errors)")
    }
}
