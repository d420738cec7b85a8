import AttaccaCore
import Foundation

/// The facts `attacca info` shows, as text or JSON.
struct SoundFontSummary: Encodable {
    struct PresetEntry: Encodable {
        let bank: Int
        let program: Int
        let name: String
    }

    let path: String
    let name: String
    let version: String
    let soundEngine: String
    let romName: String?
    let creationDate: String?
    let engineers: String?
    let product: String?
    let copyright: String?
    let comment: String?
    let software: String?
    /// Sorted by bank, then program.
    let presets: [PresetEntry]
    let instrumentCount: Int
    let sampleCount: Int
    let samplePointCount: Int
    let sampleBits: Int
    /// Bytes of the smpl chunk plus the sm24 chunk, if any.
    let sampleDataBytes: Int
    /// Added to every preset's bank in a font stack (`FILE@N`); banks below include it.
    var bankOffset = 0
    /// SF3 only: milliseconds spent decoding the Ogg Vorbis samples at load, and the bytes decoded.
    var decodeMilliseconds: Double?
    var decodedBytes: Int?
    /// Threads the decoding ran on (`ConcurrentLoop.allCores`).
    var decodeThreads: Int?

    init(path: String, soundFont: SoundFont, bankOffset: Int = 0) {
        self.bankOffset = bankOffset
        let info = soundFont.info
        self.path = path
        name = info.name
        version = "\(info.versionMajor).\(String(format: "%02d", info.versionMinor))"
        soundEngine = info.soundEngine
        romName = info.romName
        creationDate = info.creationDate
        engineers = info.engineers
        product = info.product
        copyright = info.copyright
        comment = info.comment
        software = info.software
        presets = soundFont.presets
            .map { PresetEntry(bank: $0.bank + bankOffset, program: $0.program, name: $0.name) }
            .sorted { ($0.bank, $0.program, $0.name) < ($1.bank, $1.program, $1.name) }
        instrumentCount = soundFont.instruments.count
        // The shdr chunk ends with an "EOS" terminal record; parsers may keep or drop it.
        sampleCount = soundFont.samples.count { $0.name != "EOS" }
        samplePointCount = soundFont.sampleData.count
        sampleBits = soundFont.sampleData24 == nil ? 16 : 24
        sampleDataBytes = soundFont.sampleData.count * 2 + (soundFont.sampleData24?.count ?? 0)
    }

    /// Control characters (C0, DEL, C1: ESC sequences, CSI) and bidirectional overrides from
    /// the file, written as `\u{1B}` so the terminal shows them instead of obeying them.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }

    /// JSON text with every character `isUnsafe` as a `\uXXXX` escape (JSONEncoder leaves DEL,
    /// C1 and the bidi controls raw): the same strings, safe on a terminal. A raw newline can
    /// only be the pretty-printer's (the encoder escapes those in strings), so it stays.
    static func escapedJSON(_ json: String) -> String {
        var result = ""
        for scalar in json.unicodeScalars {
            if isUnsafe(scalar) && scalar != "\n" {
                let hex = String(scalar.value, radix: 16, uppercase: false)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    var text: String {
        let name = Self.escaped(self.name), soundEngine = Self.escaped(self.soundEngine)
        var lines = ["file: \(Self.escaped(path))", "name: \(name)", "version: \(version) (\(soundEngine))"]
        let optional: [(String, String?)] = [
            ("rom", romName), ("created", creationDate), ("engineers", engineers), ("product", product),
            ("copyright", copyright), ("comment", comment), ("software", software),
        ]
        for (label, value) in optional {
            if let value, !value.isEmpty {
                lines.append("\(label): \(Self.escaped(value.split(whereSeparator: \.isNewline).joined(separator: " ")))")
            }
        }
        lines.append("presets: \(presets.count)")
        lines.append("  bank  program  name")
        for preset in presets {
            lines.append("  " + Self.rightAligned(preset.bank, 4) + "  " + Self.rightAligned(preset.program, 7) + "  " + Self.escaped(preset.name))
        }
        lines.append("instruments: \(instrumentCount)")
        lines.append("samples: \(sampleCount)")
        lines.append("sample data: \(Self.megabytes(sampleDataBytes)) (\(samplePointCount) points, \(sampleBits)-bit)")
        if let decodeMilliseconds, let decodedBytes {
            lines.append("sf3 decoding: " + String(format: "%.0f ms", decodeMilliseconds) + " for \(Self.megabytes(decodedBytes)) of 16-bit points "
                + "(Ogg Vorbis on \(decodeThreads ?? 1) threads; a full decode is kept in the SF3 cache, which later loads map; "
                + "without one a render decodes only what its MIDI file reaches)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func rightAligned(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
