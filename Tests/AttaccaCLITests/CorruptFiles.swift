import Foundation

/// Broken SoundFonts and MIDI files for the bad-input tests, made from good ones: the committed
/// `SoundFonts/Attacca.sf2` and `TestFiles.organChord`. Each case names what is wrong.
enum CorruptFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let goodSoundFont = repository.appendingPathComponent("SoundFonts/Attacca.sf2").path

    enum SoundFontCase: String, CaseIterable, CustomStringConvertible {
        case truncated, wrongMagic, empty, oversized, declaresMoreThanItHolds, sampleBeyondData, indexBeyondRecords
        case folder, missing
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

    private static func offset(of id: String, in bytes: [UInt8]) throws -> Int {
        guard let range = Data(bytes).range(of: Data(id.utf8)) else { throw CocoaError(.fileReadCorruptFile) }
        return range.lowerBound
    }

    private static func store32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }
}
