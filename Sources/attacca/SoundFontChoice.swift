import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import AttaccaVorbis
import Glibc

/// Which SoundFont a command plays, and where it came from: `--soundfont` if given; else the
/// first installed Debian GM SoundFont; else the default SoundFont built into Attacca.
enum SoundFontChoice: Equatable {
    /// A file; `origin` names the Debian package it comes from, nil for `--soundfont`.
    case file(path: String, origin: String?)
    /// `DefaultSoundFont`, synthesized in memory.
    case embedded
    /// Several `--soundfont` options (or one with a bank offset), in command-line order: the last
    /// is on top of the stack, as with `fluidsynth a.sf2 b.sf2`.
    case stack([StackedSoundFont])

    /// One `--soundfont` value: `FILE` or `FILE@OFFSET` (bank offset, FluidSynth's
    /// `fluid_synth_set_bank_offset`).
    struct StackedSoundFont: Equatable {
        var path: String
        var bankOffset: Int

        /// Splits `FILE@OFFSET` at the last `@` when what follows is a whole number 0...16383;
        /// anything else is a plain file name.
        init(option: String) {
            if let at = option.lastIndex(of: "@"), at != option.startIndex,
               let offset = Int(option[option.index(after: at)...]), (0...16383).contains(offset) {
                path = String(option[..<at])
                bankOffset = offset
            } else {
                path = option
                bankOffset = 0
            }
        }
    }

    /// Chooses from the `--soundfont` values: none picks a Debian font or the embedded one; one
    /// plain file is `.file`; several, or any with a bank offset, are a `.stack`.
    init(options: [String], isReadable: (String) -> Bool = { access($0, R_OK) == 0 }) {
        let fonts = options.map(StackedSoundFont.init(option:))
        if fonts.count > 1 || fonts.first.map({ $0.bankOffset != 0 }) == true {
            self = .stack(fonts)
        } else {
            self.init(option: fonts.first?.path, isReadable: isReadable)
        }
    }

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
        case .stack(let fonts):
            "soundfonts (last on top): " + fonts.map { $0.bankOffset == 0 ? $0.path : "\($0.path) (bank offset \($0.bankOffset))" }
                .joined(separator: ", ")
        }
    }

    /// Parses the SoundFont for the native engine. With `programs` (an offline render's
    /// `MidiFile.selectablePrograms`), an SF3 decodes only the samples those programs can reach
    /// (`SoundFont.samplesReachable(byPrograms:)`); the others stay empty.
    func load(programs: Set<Int>? = nil) throws -> SoundFont {
        switch self {
        case .file(let path, _): try Self.load(path: path, programs: programs)
        case .embedded: DefaultSoundFont.make()
        case .stack(let fonts): try Self.loadStack(fonts, programs: programs)
        }
    }

    /// Loads every font of a stack and merges them (`SoundFontStack`).
    static func loadStack(_ fonts: [StackedSoundFont], programs: Set<Int>? = nil) throws -> SoundFont {
        let layers = try fonts.map {
            SoundFontStack.Layer(soundFont: try load(path: $0.path, programs: programs), bankOffset: $0.bankOffset)
        }
        do {
            return try SoundFontStack(layers: layers).merged()
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Parses the SoundFont at `path`, decoding SF3 samples; errors about the content name the file.
    static func load(path: String, programs: Set<Int>? = nil) throws -> SoundFont {
        try loadMeasured(path: path, programs: programs).soundFont
    }

    /// The file read, an SF3's samples left compressed; errors name the file.
    static func parse(path: String) throws -> SoundFont {
        do {
            return try SoundFont(path: path)
        } catch {
            switch error {
            case .fileNotFound, .unreadable: throw error
            default: throw CommandFailure("'\(path)': \(error)")
            }
        }
    }

    /// What decoding an SF3's Ogg Vorbis samples cost at load.
    struct DecodeCost {
        /// Wall time, on every core (`ConcurrentLoop.allCores`).
        var milliseconds: Double
        /// Bytes of 16-bit points decoded (46 zero points per sample included).
        var decodedBytes: Int
        /// Threads decoding: one per online core.
        var threads: Int
    }

    /// `load(path:programs:)`, also saying what SF3 decoding cost (nil for an SF2, or when the
    /// samples came from `cache`). An SF3 whose samples were all decoded is written to `cache`;
    /// a failure to write it is a warning on standard error, not an error.
    static func loadMeasured(path: String, programs: Set<Int>? = nil,
                             cache: SF3Cache? = .standard) throws -> (soundFont: SoundFont, decode: DecodeCost?) {
        let parsed = try parse(path: path)
        guard parsed.hasCompressedSamples else { return (parsed, nil) }
        if let cache, let cached = cache.load(for: path, compressed: parsed) { return (cached, nil) }
        let clock = ContinuousClock()
        let start = clock.now
        let decoded: SoundFont
        do {
            decoded = try parsed.decompressed(with: VorbisDecoder(), wanted: programs.map { parsed.samplesReachable(byPrograms: $0) },
                                              concurrently: .allCores)
        } catch {
            throw CommandFailure("'\(path)': \(error)")
        }
        let elapsed = start.duration(to: clock.now)
        if let cache, programs == nil {
            do {
                try cache.store(decoded, for: path)
            } catch {
                fputs("attacca: warning: \(error)\n", stderr)
            }
        }
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
        return (decoded, DecodeCost(milliseconds: milliseconds, decodedBytes: decoded.sampleData.count * 2,
                                         threads: ConcurrentLoop.allCoresThreadCount))
    }

    /// A FluidSynth engine playing this SoundFont. The embedded one is written to a temporary
    /// file for FluidSynth to load, and removed once loaded (FluidSynth keeps the samples in memory).
    func makeFluidSynthEngine(sampleRate: Int, polyphony: Int, gain: Float,
                              reverb: ReverbSettings = ReverbSettings(isEnabled: false),
                              chorus: ChorusSettings = ChorusSettings(isEnabled: false), bankSelect: String = "gs",
                              interpolation: Int = 4) throws -> FluidSynthEngine {
        switch self {
        case .file(let path, _):
            // FluidSynth plays fonts Attacca's reader refuses (sample points past the data, end
            // before start) and hangs on fonts whose zones multiply into millions of regions:
            // the native reader and the synthesizer's limits judge the file first.
            try Self.checkSynthesisLimits(try Self.parse(path: path), path: path)
            return try FluidSynthEngine(soundFonts: [(path, 0)], sampleRate: sampleRate, polyphony: polyphony, gain: gain,
                                        reverb: reverb, chorus: chorus, bankSelect: bankSelect, interpolation: interpolation)
        case .embedded:
            let path = try Self.writeTemporaryFile(SoundFontWriter.bytes(for: DefaultSoundFont.make()))
            defer { unlink(path) }
            return try FluidSynthEngine(soundFonts: [(path, 0)], sampleRate: sampleRate, polyphony: polyphony, gain: gain,
                                        reverb: reverb, chorus: chorus, bankSelect: bankSelect, interpolation: interpolation)
        case .stack(let fonts):
            for font in fonts { try Self.checkSynthesisLimits(try Self.parse(path: font.path), path: font.path) }
            return try FluidSynthEngine(soundFonts: fonts.map { ($0.path, $0.bankOffset) }, sampleRate: sampleRate,
                                        polyphony: polyphony, gain: gain, reverb: reverb, chorus: chorus,
                                        bankSelect: bankSelect, interpolation: interpolation)
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
