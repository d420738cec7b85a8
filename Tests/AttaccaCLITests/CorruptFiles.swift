import Foundation

/// Broken SoundFonts and MIDI files for the bad-input tests, made from good ones: the committed
/// `SoundFonts/Attacca.sf2` and `TestFiles.organChord`. Each case names what is wrong.
enum CorruptFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let goodSoundFont = repository.appendingPathComponent("SoundFonts/Attacca.sf2").path

    enum SoundFontCase: String, CaseIterable, CustomStringConvertible {
        case truncated, wrongMagic, empty, oversized, declaresMoreThanItHolds, sampleBeyondData, indexBeyondRecords
        case folder, missing, sampleEndBeforeStart, hugeSampleCount, zonesMultiplying, fifo
        var description: String { rawValue }
    }

    enum MidiCase: String, CaseIterable, CustomStringConvertible {
        case truncated, wrongMagic, empty, oversized, trackDeclaresMoreThanItHolds, zeroDivision
        case runningStatusWithoutStatus, folder, missing
        var description: String { rawValue }
    }

    /// Writes the broken SoundFont into `files` and returns its path (for `missing`, a path
    /// that does not exist).
    static func write(_ kind: SoundFontCase, into files: TestFiles) throws -> String {
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: goodSoundFont)))
        var bytes = good
        switch kind {
        case .truncated: bytes = Array(good.prefix(good.count / 2))
        case .wrongMagic: bytes.replaceSubrange(0..<4, with: Array("RIFX".utf8))
        case .empty: bytes = []
        case .oversized:
            // Sparse: more than RIFF's 4 GiB without using the disk.
            let path = files.path("oversized.sf2")
            _ = FileManager.default.createFile(atPath: path, contents: Data(good.prefix(12)))
            guard truncate(path, 5 << 30) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return path
        case .declaresMoreThanItHolds: store32(UInt32(good.count * 3), at: 4, in: &bytes)
        case .sampleBeyondData:
            // The first sample header's end point, far past the sample data.
            let shdr = try offset(of: "shdr", in: good) + 8
            store32(0x7FFF_FFFF, at: shdr + 24, in: &bytes)
        case .indexBeyondRecords:
            // The second preset header's bag index, beyond the pbag records.
            let phdr = try offset(of: "phdr", in: good) + 8
            bytes[phdr + 38 + 24] = 0x0F
            bytes[phdr + 38 + 25] = 0x27
        case .folder:
            let path = files.path("folder.sf2")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            return path
        case .missing: return files.path("missing.sf2")
        case .sampleEndBeforeStart:
            let shdr = try offset(of: "shdr", in: good) + 8
            store32(UInt32(littleEndian32(good, shdr + 20)) + 10, at: shdr + 20, in: &bytes)
            store32(UInt32(littleEndian32(good, shdr + 20)), at: shdr + 24, in: &bytes)
        case .hugeSampleCount:
            // The shdr chunk claims 4 GiB of records.
            let shdr = try offset(of: "shdr", in: good)
            store32(0xFFFF_FFF0, at: shdr + 4, in: &bytes)
        case .zonesMultiplying:
            return try files.write(multiplyingZones(presetZones: 600, instrumentZones: 300), to: "multiplying.sf2")
        case .fifo:
            let path = files.path("fifo.sf2")
            guard mkfifo(path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return path
        }
        return try files.write(bytes, to: "\(kind).sf2")
    }

    static func write(_ kind: MidiCase, into files: TestFiles) throws -> String {
        let good = TestFiles.organChord
        var bytes = good
        switch kind {
        case .truncated: bytes = Array(good.prefix(30))
        case .wrongMagic: bytes.replaceSubrange(0..<4, with: Array("MThx".utf8))
        case .empty: bytes = []
        case .oversized:
            let path = files.path("oversized.mid")
            _ = FileManager.default.createFile(atPath: path, contents: Data(good))
            guard truncate(path, 100 << 20) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return path
        case .trackDeclaresMoreThanItHolds: bytes[21] = 0xFF  // MTrk length 255, 24 bytes follow
        case .zeroDivision: bytes[12] = 0; bytes[13] = 0
        case .runningStatusWithoutStatus: bytes[23] = 0x40  // the first event's status is a data byte
        case .folder:
            let path = files.path("folder.mid")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            return path
        case .missing: return files.path("missing.mid")
        }
        return try files.write(bytes, to: "\(kind).mid")
    }

    /// A valid MIDI file that lasts eons: the slowest tempo (16.7 s a quarter), one tick a
    /// quarter, and `notes` note-ons each after the longest delta time (2^28 − 1 ticks, 142
    /// years). Three of them pass Int64 nanoseconds; 12,000 pass Int64 frames at 192 kHz.
    static func eons(notes: Int) -> [UInt8] {
        let note: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F, 0x90, 60, 100]
        let track: [UInt8] = [0x00, 0xFF, 0x51, 0x03, 0xFF, 0xFF, 0xFF] + Array([[UInt8]](repeating: note, count: notes).joined())
            + [0x00, 0xFF, 0x2F, 0x00]
        let length = track.count
        return Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 1] + Array("MTrk".utf8)
            + [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + track
    }

    /// A small valid SoundFont (about 10 KB) whose one preset has `presetZones` zones all naming
    /// its one instrument of `instrumentZones` zones: preset zones × instrument zones regions
    /// (issue 17, class 2: 600 × 300 passes the 32768-region limit).
    static func multiplyingZones(presetZones: Int, instrumentZones: Int) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16) }
        func name(_ s: String) -> [UInt8] { Array(s.utf8.prefix(20)) + Array(repeating: 0, count: 20 - min(s.utf8.count, 20)) }
        func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] { Array(id.utf8) + u32(body.count) + body + (body.count % 2 == 1 ? [0] : []) }
        var pbag: [UInt8] = [], pgen: [UInt8] = []
        for zone in 0...presetZones { pbag += u16(zone) + u16(0) }
        for _ in 0..<presetZones { pgen += u16(41) + u16(0) }  // instrument 0
        pgen += [0, 0, 0, 0]
        var ibag: [UInt8] = [], igen: [UInt8] = []
        for zone in 0...instrumentZones { ibag += u16(2 * zone) + u16(0) }
        for zone in 0..<instrumentZones { igen += u16(43) + u16((zone % 128) << 8 | zone % 128) + u16(53) + u16(0) }
        igen += [0, 0, 0, 0]
        let phdr = name("Many") + u16(0) + u16(0) + u16(0) + Array(repeating: 0, count: 12)
            + name("EOP") + u16(0) + u16(0) + u16(presetZones) + Array(repeating: 0, count: 12)
        let inst = name("Big") + u16(0) + name("EOI") + u16(instrumentZones)
        let shdr = name("S") + u32(0) + u32(100) + u32(10) + u32(90) + u32(44100) + [60, 0] + u16(0) + u16(1)
            + name("EOS") + Array(repeating: 0, count: 26)
        let smpl = (0..<146).flatMap { u16(($0 * 300) & 0x7FFF) }
        let pdta = chunk("phdr", phdr) + chunk("pbag", pbag) + chunk("pmod", Array(repeating: 0, count: 10)) + chunk("pgen", pgen)
            + chunk("inst", inst) + chunk("ibag", ibag) + chunk("imod", Array(repeating: 0, count: 10)) + chunk("igen", igen)
            + chunk("shdr", shdr)
        let body = Array("sfbk".utf8) + chunk("LIST", Array("INFO".utf8) + chunk("ifil", u16(2) + u16(1)) + chunk("INAM", Array("Many\0\0".utf8)))
            + chunk("LIST", Array("sdta".utf8) + chunk("smpl", smpl)) + chunk("LIST", Array("pdta".utf8) + pdta)
        return chunk("RIFF", body)
    }

    private static func littleEndian32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    /// The offset of the first `id` in `bytes`.
    static func find(_ id: String, in bytes: [UInt8]) throws -> Int { try offset(of: id, in: bytes) }

    private static func offset(of id: String, in bytes: [UInt8]) throws -> Int {
        guard let range = Data(bytes).range(of: Data(id.utf8)) else { throw CocoaError(.fileReadCorruptFile) }
        return range.lowerBound
    }

    private static func store32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }
}
