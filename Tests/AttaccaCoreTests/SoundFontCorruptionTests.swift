import AttaccaAssets
import AttaccaCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Broken SoundFonts made from a valid one: each must give its specific typed error, and no
/// input may crash the reader.
@Suite struct SoundFontCorruptionTests {
    private typealias Surgery = SoundFontSurgery
    private static let valid = TestSoundFonts.smallBytes(with24BitData: true)

    private static func error(_ bytes: [UInt8]) -> SoundFontError? {
        do {
            _ = try SoundFont(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    private static func pathError(_ path: String) -> SoundFontError? {
        do {
            _ = try SoundFont(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func validFixtureParses() {
        #expect(Self.error(Self.valid) == nil)
    }

    // MARK: Files

    @Test func emptyInput() {
        #expect(Self.error([]) == .emptyFile)
        let file = TemporaryFile([])
        #expect(Self.pathError(file.path) == .emptyFile)
    }

    @Test func missingFileAndDirectory() {
        #expect(Self.pathError("/nonexistent/attacca.sf2") == .fileNotFound(path: "/nonexistent/attacca.sf2"))
        #expect(Self.pathError("/tmp") == .unreadable(path: "/tmp", reason: "not a regular file"))
        #expect(SoundFontError.fileNotFound(path: "/x.sf2").description == "SoundFont file not found: /x.sf2")
    }

    /// A sparse 5 GiB file: larger than a 32-bit RIFF size can describe.
    @Test func fileTooLarge() {
        let file = TemporaryFile([])
        let fd = open(file.path, O_WRONLY)
        defer { close(fd) }
        guard ftruncate(fd, 5 << 30) == 0 else { return }  // filesystem without sparse files: nothing to test
        #expect(Self.pathError(file.path) == .fileTooLarge(size: 5 << 30))
    }

    @Test func wrongMagic() {
        var bytes = Self.valid
        bytes[3] = UInt8(ascii: "X")
        #expect(Self.error(bytes) == .notRIFF)
        #expect(Self.error(Array("MThd".utf8)) == .notRIFF)
        #expect(Self.error([0x52, 0x49]) == .truncatedChunk(id: "RIFF", declaredSize: 4, availableSize: 0))
        bytes = Self.valid
        bytes.replaceSubrange(8..<12, with: Array("WAVE".utf8))
        #expect(Self.error(bytes) == .notSoundFont(formType: "WAVE"))
    }

    // MARK: Sizes

    @Test func truncationNamesTheInnermostChunk() throws {
        let map = RIFFChunkMap(Self.valid)
        let smpl = try #require(map["smpl"]), phdr = try #require(map["phdr"]), isng = try #require(map["isng"])
        let pdtaList = try #require(map["LIST:pdta"]), infoList = try #require(map["LIST:INFO"])
        #expect(Self.error(Array(Self.valid[0..<smpl.bodyOffset + 100]))
                == .truncatedChunk(id: "smpl", declaredSize: smpl.size, availableSize: 100))
        #expect(Self.error(Array(Self.valid[0..<phdr.bodyOffset + 50]))
                == .truncatedChunk(id: "phdr", declaredSize: phdr.size, availableSize: 50))
        #expect(Self.error(Array(Self.valid[0..<isng.offset]))
                == .truncatedChunk(id: "INFO", declaredSize: infoList.size - 4, availableSize: isng.offset - infoList.bodyOffset - 4))
        #expect(Self.error(Array(Self.valid[0..<pdtaList.offset]))
                == .truncatedChunk(id: "RIFF", declaredSize: Self.valid.count - 8, availableSize: pdtaList.offset - 8))
    }

    @Test func sizesThatDoNotAddUp() throws {
        let map = RIFFChunkMap(Self.valid)
        // RIFF claims more than the file holds.
        var bytes = Self.valid
        Surgery.setU32(&bytes, 4, bytes.count)
        #expect(Self.error(bytes) == .truncatedChunk(id: "RIFF", declaredSize: bytes.count, availableSize: bytes.count - 8))
        // A chunk larger than its LIST.
        let smpl = try #require(map["smpl"])
        bytes = Self.valid
        Surgery.setU32(&bytes, smpl.offset + 4, smpl.size + 2000)
        let sdta = try #require(map["LIST:sdta"])
        let available = sdta.bodyOffset + sdta.size - smpl.bodyOffset
        #expect(Self.error(bytes) == .truncatedChunk(id: "smpl", declaredSize: smpl.size + 2000, availableSize: available))
        // A LIST larger than the RIFF.
        bytes = Self.valid
        Surgery.setU32(&bytes, sdta.offset + 4, sdta.size + 1000)
        guard case .truncatedChunk(id: "sdta", declaredSize: sdta.size + 996, _)? = Self.error(bytes) else {
            Issue.record("expected sdta truncation, got \(String(describing: Self.error(bytes)))")
            return
        }
    }

    @Test(arguments: [("phdr", 38), ("pbag", 4), ("pmod", 10), ("pgen", 4), ("inst", 22), ("ibag", 4), ("imod", 10),
                      ("igen", 4), ("shdr", 46)])
    func recordSizeNotAMultiple(id: String, recordSize: Int) {
        let body = Surgery.body(Self.valid, id)
        let bytes = Surgery.replaceBody(Self.valid, id, with: body + [0, 0])
        #expect(Self.error(bytes) == .chunkSizeNotMultiple(id: id, size: body.count + 2, recordSize: recordSize))
    }

    @Test func ifilOfTheWrongSize() {
        let bytes = Surgery.replaceBody(Self.valid, "ifil", with: [2, 0, 4, 0, 0, 0])
        #expect(Self.error(bytes) == .invalidChunkSize(id: "ifil", size: 6, expected: 4))
    }

    @Test(arguments: ["ifil", "smpl", "phdr", "pbag", "pmod", "pgen", "inst", "ibag", "imod", "igen", "shdr",
                      "LIST:INFO", "LIST:sdta", "LIST:pdta"])
    func missingRequiredChunk(id: String) {
        let expected = id.hasPrefix("LIST:") ? String(id.dropFirst(5)) : id
        #expect(Self.error(Surgery.remove(Self.valid, id)) == .missingChunk(id: expected))
    }

    @Test func unsupportedVersions() {
        for major in [0, 1, 4] {  // 3 is SF3 (SF3Tests)
            var bytes = Self.valid
            Surgery.setU16(&bytes, Surgery.bodyOffset(bytes, "ifil"), major)
            #expect(Self.error(bytes) == .unsupportedVersion(major: major, minor: 4))
        }
    }

    // MARK: Terminal records and indices

    @Test func missingTerminalRecords() {
        func dropLast(_ id: String, _ count: Int) -> [UInt8] {
            Surgery.replaceBody(Self.valid, id, with: Array(Surgery.body(Self.valid, id).dropLast(count)))
        }
        #expect(Self.error(dropLast("phdr", 38)) == .missingTerminalRecord(chunk: "phdr"))
        #expect(Self.error(Surgery.replaceBody(Self.valid, "phdr", with: [])) == .missingTerminalRecord(chunk: "phdr"))
        #expect(Self.error(dropLast("inst", 22)) == .missingTerminalRecord(chunk: "inst"))
        #expect(Self.error(Surgery.replaceBody(Self.valid, "inst", with: [])) == .missingTerminalRecord(chunk: "inst"))
        #expect(Self.error(dropLast("pbag", 4)) == .missingTerminalRecord(chunk: "pbag"))
        #expect(Self.error(Surgery.replaceBody(Self.valid, "pbag", with: [])) == .missingTerminalRecord(chunk: "pbag"))
        #expect(Self.error(dropLast("ibag", 4)) == .missingTerminalRecord(chunk: "ibag"))
        #expect(Self.error(Surgery.replaceBody(Self.valid, "shdr", with: [])) == .missingTerminalRecord(chunk: "shdr"))
        // Without EOS the last sample becomes the terminal record, so the zone naming it fails.
        #expect(Self.error(dropLast("shdr", 46)) == .sampleIndexOutOfRange(instrument: "Lead", zone: 2, index: 1, count: 1))
    }

    @Test func indicesOutOfOrder() {
        var bytes = Self.valid
        let pbag = Surgery.bodyOffset(bytes, "pbag")
        let previous = Surgery.u16(bytes, pbag + 4)
        Surgery.setU16(&bytes, pbag + 8, 0)  // bag 2's generator index below bag 1's
        #expect(Self.error(bytes) == .indexOutOfOrder(chunk: "pbag", record: 2, index: 0, previous: previous))

        bytes = Self.valid
        let ibag = Surgery.bodyOffset(bytes, "ibag")
        let modulatorsBefore = Surgery.u16(bytes, ibag + 2)
        #expect(modulatorsBefore == 0)
        Surgery.setU16(&bytes, ibag + 2, 1)  // bag 0 starts at modulator 1...
        Surgery.setU16(&bytes, ibag + 6, 0)  // ...and bag 1 at modulator 0
        #expect(Self.error(bytes) == .indexOutOfOrder(chunk: "ibag", record: 1, index: 0, previous: 1))

        bytes = Self.valid
        let phdr = Surgery.bodyOffset(bytes, "phdr")
        Surgery.setU16(&bytes, phdr + 38 + 24, 2)
        Surgery.setU16(&bytes, phdr + 76 + 24, 1)
        #expect(Self.error(bytes) == .indexOutOfOrder(chunk: "phdr", record: 2, index: 1, previous: 2))

        bytes = Self.valid
        let inst = Surgery.bodyOffset(bytes, "inst")
        Surgery.setU16(&bytes, inst + 22 + 20, 4)  // "Kit" starts at bag 4...
        Surgery.setU16(&bytes, inst + 44 + 20, 3)  // ...and EOI points back at bag 3
        #expect(Self.error(bytes) == .indexOutOfOrder(chunk: "inst", record: 2, index: 3, previous: 4))
    }

    @Test func indicesOutOfRange() {
        var bytes = Self.valid
        let phdr = Surgery.bodyOffset(bytes, "phdr")
        Surgery.setU16(&bytes, phdr + 3 * 38 + 24, 200)  // EOP's bag index
        #expect(Self.error(bytes) == .indexOutOfRange(chunk: "phdr", record: 3, index: 200, count: 5))

        bytes = Self.valid
        let pbag = Surgery.bodyOffset(bytes, "pbag")
        let pmodCount = Surgery.body(bytes, "pmod").count / 10
        Surgery.setU16(&bytes, pbag + 4 * 4 + 2, 50)  // terminal bag's modulator index
        #expect(Self.error(bytes) == .indexOutOfRange(chunk: "pbag", record: 4, index: 50, count: pmodCount))

        bytes = Self.valid
        let ibag = Surgery.bodyOffset(bytes, "ibag")
        let igenCount = Surgery.body(bytes, "igen").count / 4
        Surgery.setU16(&bytes, ibag + 4 * 4, 9999)  // terminal bag's generator index
        #expect(Self.error(bytes) == .indexOutOfRange(chunk: "ibag", record: 4, index: 9999, count: igenCount))
    }

    /// Sets the amount of the first generator `type` in `chunk` (pgen or igen).
    private static func settingFirstGenerator(_ type: GeneratorType, in chunk: String, to amount: Int) -> [UInt8] {
        var bytes = valid
        let start = Surgery.bodyOffset(bytes, chunk), count = Surgery.body(bytes, chunk).count / 4
        for index in 0..<count where Surgery.u16(bytes, start + 4 * index) == Int(type.rawValue) {
            Surgery.setU16(&bytes, start + 4 * index + 2, amount)
            return bytes
        }
        return bytes
    }

    @Test func instrumentAndSampleIndicesOutOfRange() {
        #expect(Self.error(Self.settingFirstGenerator(.instrument, in: "pgen", to: 7))
                == .instrumentIndexOutOfRange(preset: "Lead Preset", zone: 1, index: 7, count: 2))
        #expect(Self.error(Self.settingFirstGenerator(.sampleID, in: "igen", to: 0xFFFF))
                == .sampleIndexOutOfRange(instrument: "Lead", zone: 1, index: 0xFFFF, count: 2))
    }

    @Test func sampleOutsideTheData() throws {
        let font = TestSoundFonts.small()
        var bytes = Self.valid
        let shdr = Surgery.bodyOffset(bytes, "shdr")
        Surgery.setU32(&bytes, shdr + 24, 1_000_000)  // sample 0's end
        #expect(Self.error(bytes) == .sampleOutOfRange(sample: "Triangle", start: 0, end: 1_000_000,
                                                       sampleDataCount: font.sampleData.count))
        bytes = Self.valid
        let sample = font.samples[1]
        Surgery.setU32(&bytes, shdr + 46 + 20, sample.end + 1)  // sample 1's start after its end
        #expect(Self.error(bytes) == .sampleOutOfRange(sample: sample.name, start: sample.end + 1, end: sample.end,
                                                       sampleDataCount: font.sampleData.count))
    }

    // MARK: Brute force

    /// What the reader promises about anything it returns.
    private static func expectInvariants(_ font: SoundFont) {
        for preset in font.presets {
            for zone in preset.zones { #expect(zone.instrumentIndex.map { $0 < font.instruments.count } == true) }
        }
        for instrument in font.instruments {
            for zone in instrument.zones { #expect(zone.sampleIndex.map { $0 < font.samples.count } == true) }
        }
        let count = font.sampleData.count
        for s in font.samples {
            #expect(0 <= s.start && s.start <= s.end && s.end <= count)
            #expect(s.start <= s.loopStart && s.loopStart <= count && s.start <= s.loopEnd && s.loopEnd <= count)
        }
        if let low = font.sampleData24 { #expect(low.count == count) }
    }

    /// Names come from the file; a newline in one must not split the one-line error.
    @Test func descriptionsStayOnOneLineWhateverTheNames() {
        let errors: [SoundFontError] = [
            .notSoundFont(formType: "WA\nE"),
            .instrumentIndexOutOfRange(preset: "Grand\nPiano\r", zone: 1, index: 9, count: 2),
            .sampleIndexOutOfRange(instrument: "a\u{7}b", zone: 0, index: 5, count: 1),
            .sampleOutOfRange(sample: "x\ny", start: 0, end: 10, sampleDataCount: 4),
        ]
        for error in errors {
            #expect(!error.description.contains("\n") && !error.description.contains("\r"))
            #expect(!error.description.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
        #expect(SoundFontError.instrumentIndexOutOfRange(preset: "Grand\nPiano", zone: 1, index: 9, count: 2)
            .description.contains("Grand?Piano"))
    }

    @Test func truncationAtEveryOffsetThrowsATruncationError() {
        let bytes = Self.valid
        #expect(Self.error([]) == .emptyFile)
        var nonTruncation: [Int] = []
        for length in 1..<bytes.count {
            guard case .truncatedChunk? = Self.error(Array(bytes[0..<length])) else {
                nonTruncation.append(length)
                continue
            }
        }
        #expect(nonTruncation.isEmpty)
        // And through the file mapping, at every 7th offset.
        for length in stride(from: 1, to: bytes.count, by: 7) {
            let file = TemporaryFile(Array(bytes[0..<length]))
            guard case .truncatedChunk? = Self.pathError(file.path) else {
                Issue.record("length \(length): \(String(describing: Self.pathError(file.path)))")
                continue
            }
        }
    }

    @Test func flippedBytesParseOrThrowButNeverCrash() {
        var random = SeededRandom(seed: 0x5EED_F0_2)
        let bytes = Self.valid
        let pdta = RIFFChunkMap(bytes)["LIST:pdta"]!
        var parsed = 0, rejected = 0
        for trial in 0..<600 {
            var corrupted = bytes
            // Two thirds of the trials aim at the hydra, where flips change structure.
            let range = trial % 3 == 0 ? 0..<bytes.count : pdta.offset..<bytes.count
            let flips = 1 + Int(random.next() % 4)
            for _ in 0..<flips {
                let position = range.lowerBound + Int(random.next() % UInt64(range.count))
                corrupted[position] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
            do {
                let font = try SoundFont(bytes: corrupted)
                Self.expectInvariants(font)
                parsed += 1
            } catch {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        #expect(parsed + rejected == 600)
        #expect(rejected > 0)
    }
}
