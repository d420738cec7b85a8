import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import Glibc

/// Which SoundFont a command plays, and where it came from: `--soundfont` if given; else the
/// first installed Debian GM SoundFont; else the default SoundFont built into Attacca.
enum SoundFontChoice: Equatable {
    /// A file; `origin` names the Debian package it comes from, nil for `--soundfont`.
    case file(path: String, origin: String?)
    /// `DefaultSoundFont`, synthesized in memory.
    case embedded

    /// Debian's GM SoundFonts, best first.
    static let debianSoundFonts: [(path: String, origin: String)] = [
        ("/usr/share/sounds/sf2/FluidR3_GM.sf2", "Debian fluid-soundfont-gm"),
        ("/usr/share/sounds/sf2/TimGM6mb.sf2", "Debian timgm6mb-soundfont"),
        ("/usr/share/sounds/sf2/default-GM.sf2", "Debian default-GM.sf2"),
    ]

    init(option path: String?, isReadable: (String) -> Bool = { access($0, R_OK) == 0 }) {
        if let path {
            self = .file(path: path, origin: nil)
        } else if let installed = Self.debianSoundFonts.first(where: { isReadable($0.path) }) {
            self = .file(path: installed.path, origin: installed.origin)
        } else {
            self = .embedded
        }
    }

    /// The line telling the user which SoundFont plays, e.g.
    /// `soundfont: /usr/share/sounds/sf2/FluidR3_GM.sf2 (Debian fluid-soundfont-gm)`.
    var announcement: String {
        switch self {
        case .file(let path, let origin?): "soundfont: \(path) (\(origin))"
        case .file(let path, nil): "soundfont: \(path)"
        case .embedded: "soundfont: embedded Attacca Default"
        }
    }

    /// Parses the SoundFont for the native engine.
    func load() throws -> SoundFont {
        switch self {
        case .file(let path, _): try Self.load(path: path)
        case .embedded: DefaultSoundFont.make()
        }
    }

    /// Parses the SoundFont at `path`; errors about the content name the file.
    static func load(path: String) throws -> SoundFont {
        do {
            return try SoundFont(path: path)
        } catch {
            switch error {
            case .fileNotFound, .unreadable: throw error
            default: throw CommandFailure("'\(path)': \(error)")
            }
        }
    }

    /// A FluidSynth engine playing this SoundFont. The embedded one is written to a temporary
    /// file for FluidSynth to load, and removed once loaded (FluidSynth keeps the samples in memory).
    func makeFluidSynthEngine(sampleRate: Int, polyphony: Int, gain: Float) throws -> FluidSynthEngine {
        switch self {
        case .file(let path, _):
            // FluidSynth plays fonts Attacca's reader refuses (sample points past the data, end
            // before start) and hangs on fonts whose zones multiply into millions of regions:
            // the native reader and the synthesizer's limits judge the file first.
            try Self.checkSynthesisLimits(try Self.load(path: path), path: path)
            return try FluidSynthEngine(soundFontPath: path, sampleRate: sampleRate, polyphony: polyphony, gain: gain)
        case .embedded:
            let path = try Self.writeTemporaryFile(SoundFontWriter.bytes(for: DefaultSoundFont.make()))
            defer { unlink(path) }
            return try FluidSynthEngine(soundFontPath: path, sampleRate: sampleRate, polyphony: polyphony, gain: gain)
        }
    }

    /// The synthesizer's limits on a loaded font, failing with a line that names the file.
    static func checkSynthesisLimits(_ soundFont: SoundFont, path: String) throws {
        do {
            try soundFont.checkSynthesisLimits()
        } catch {
            throw CommandFailure("'\(path)': \(error)")
        }
    }

    private static func writeTemporaryFile(_ bytes: [UInt8]) throws -> String {
        let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(folder)/attacca-default-XXXXXX.sf2".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard descriptor >= 0 else { throw CommandFailure("cannot write the default SoundFont for FluidSynth in \(folder): \(String(cString: strerror(errno)))") }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "short write"
            unlink(path)
            throw CommandFailure("cannot write the default SoundFont for FluidSynth to \(path): \(reason)")
        }
        return path
    }
}
