import Foundation

/// Files the CLI tests feed to `attacca`, in a fresh folder per test.
struct TestFiles {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-cli-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Names in the folder, hidden ones included (a leftover temporary file would show here).
    var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A format-0 Standard MIDI File, 480 ticks per quarter at the default 120 bpm: organ (program
    /// 19) playing C4 and E4 from 0 to exactly 1.0 s, End of Track at 1.0 s.
    static let organChord: [UInt8] = [
        0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0,
        0x4D, 0x54, 0x72, 0x6B, 0, 0, 0, 24,
        0x00, 0xC0, 19,
        0x00, 0x90, 60, 100,
        0x00, 0x90, 64, 100,
        0x87, 0x40, 0x80, 60, 0,
        0x00, 0x80, 64, 0,
        0x00, 0xFF, 0x2F, 0x00,
    ]

    /// A format-0 file holding one organ note for `seconds` (480 ticks per quarter, 120 bpm).
    static func longNote(seconds: Int) -> [UInt8] {
        let track: [UInt8] = [0x00, 0xC0, 19, 0x00, 0x90, 60, 100] + variableLength(seconds * 960) + [0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00]
        let length = track.count
        return [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, 0x4D, 0x54, 0x72, 0x6B,
                UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + track
    }

    /// A MIDI variable-length quantity: 7 bits a byte, most significant first.
    static func variableLength(_ value: Int) -> [UInt8] {
        var bytes = [UInt8(value & 0x7F)]
        var rest = value >> 7
        while rest > 0 {
            bytes.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
            rest >>= 7
        }
        return bytes
    }

    static let timGM = "/usr/share/sounds/sf2/TimGM6mb.sf2"
    static let hasTimGM = FileManager.default.isReadableFile(atPath: timGM)
}
