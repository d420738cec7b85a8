import AttaccaAssets
import AttaccaCore
import Glibc
import Testing

/// Broken input must give a specific `MidiFileError`, never a crash or a hang.
@Suite struct MidiFileCorruptionTests {
    typealias T = MidiTestFile

    /// A format 1 file with one track holding `data`; the track data starts at byte 22.
    static func oneTrack(_ data: [UInt8]) -> [UInt8] { T.file(tracks: [data]) }

    static let corpus: [(name: String, bytes: [UInt8], error: MidiFileError)] = [
        ("empty", [], .notAMidiFile),
        ("RIFF", Array("RIFF\u{0}\u{0}\u{0}\u{0}RMID".utf8), .notAMidiFile),
        ("MThd only", Array("MThd".utf8), .truncatedHeader(declared: 6, available: 0)),
        ("short header data", Array("MThd".utf8) + T.uint32(6) + [0, 1, 0], .truncatedHeader(declared: 6, available: 3)),
        ("huge header length", Array("MThd".utf8) + T.uint32(0xFFFF_FFFF) + [0, 1, 0, 1, 0, 96],
         .truncatedHeader(declared: 0xFFFF_FFFF, available: 6)),
        ("header length 4", Array("MThd".utf8) + T.uint32(4) + [0, 1, 0, 1, 0, 96], .headerTooShort(length: 4)),
        ("format 2", T.header(format: 2, trackCount: 1), .unsupportedFormat(2)),
        ("format 7", T.header(format: 7, trackCount: 1), .unsupportedFormat(7)),
        ("zero division", T.header(trackCount: 1, division: 0), .invalidDivision(division: 0)),
        ("SMPTE zero ticks per frame", T.header(trackCount: 1, division: 0xE700), .invalidDivision(division: 0xE700)),
        ("SMPTE 23 fps", T.header(trackCount: 1, division: 0xE928), .invalidDivision(division: 0xE928)),
        ("truncated track", T.header(trackCount: 1) + Array("MTrk".utf8) + T.uint32(100) + [0x00, 0x90, 60, 1],
         .truncatedChunk(type: "MTrk", offset: 14, declared: 100, available: 4)),
        ("huge track length", T.header(trackCount: 1) + Array("MTrk".utf8) + T.uint32(0xFFFF_FFFF),
         .truncatedChunk(type: "MTrk", offset: 14, declared: 0xFFFF_FFFF, available: 0)),
        ("truncated unknown chunk", T.header(trackCount: 1) + [0x01, 0x02, 0x03, 0x04] + T.uint32(9) + [0],
         .truncatedChunk(type: "????", offset: 14, declared: 9, available: 1)),
        ("truncated chunk header", T.header(trackCount: 1) + Array("MTr".utf8), .truncatedChunkHeader(offset: 14, available: 3)),
        ("5-byte delta", oneTrack([0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 1]), .variableLengthQuantityTooLong(track: 0, offset: 22)),
        ("5-byte sysex length", oneTrack([0x00, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]), .variableLengthQuantityTooLong(track: 0, offset: 24)),
        ("running status first", oneTrack([0x00, 60, 1] + T.endOfTrack), .runningStatusWithoutStatus(track: 0, offset: 23)),
        ("data byte after meta", oneTrack([0x00, 0x90, 60, 1, 0x00, 0xFF, 0x7F, 0x00, 0x00, 61, 1]),
         .dataByteWhereStatusExpected(track: 0, offset: 31, byte: 61)),
        ("status in data", oneTrack([0x00, 0x90, 60, 0x90, 0x00]), .statusByteInData(track: 0, offset: 25, byte: 0x90)),
        ("status in program change", oneTrack([0x00, 0xC0, 0xC0]), .statusByteInData(track: 0, offset: 24, byte: 0xC0)),
        ("real-time status", oneTrack([0x00, 0xF8] + T.endOfTrack), .unsupportedStatus(track: 0, offset: 23, byte: 0xF8)),
        ("system common status", oneTrack([0x00, 0xF2, 0x00, 0x00]), .unsupportedStatus(track: 0, offset: 23, byte: 0xF2)),
        ("note cut by track end", oneTrack([0x00, 0x90, 60]), .eventPastTrackEnd(track: 0, offset: 22)),
        ("delta with no event", oneTrack([0x00, 0x90, 60, 1, 0x10]), .eventPastTrackEnd(track: 0, offset: 26)),
        ("delta cut by track end", oneTrack([0x81]), .eventPastTrackEnd(track: 0, offset: 22)),
        ("huge sysex", oneTrack([0x00, 0xF0, 0xFF, 0xFF, 0xFF, 0x7F, 0x01]), .eventPastTrackEnd(track: 0, offset: 22)),
        ("meta type cut", oneTrack([0x00, 0xFF]), .eventPastTrackEnd(track: 0, offset: 22)),
        ("meta past end", oneTrack([0x00, 0xFF, 0x01, 0x10, 0x41]), .eventPastTrackEnd(track: 0, offset: 22)),
        ("tempo length 2", oneTrack([0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1] + T.endOfTrack), .invalidTempo(track: 0, offset: 22)),
        ("tempo zero", oneTrack(T.tempo(microseconds: 0) + T.endOfTrack), .invalidTempo(track: 0, offset: 22)),
        ("error in second track", T.file(tracks: [T.endOfTrack, [0x00, 0xF9]]), .unsupportedStatus(track: 1, offset: 35, byte: 0xF9)),
    ]

    @Test(arguments: corpus.indices)
    func brokenFileGivesItsError(index: Int) {
        let (name, bytes, error) = Self.corpus[index]
        #expect(throws: error, "\(name)") { try MidiFile(bytes: bytes) }
    }

    @Test func descriptionsAreOneLine() {
        let errors = Self.corpus.map(\.error) + [
            .unreadableFile(path: "/x.mid", reason: "No such file or directory"),
            .fileTooLarge(path: "/x.mid", size: 1 << 30),
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
            #expect(!error.description.contains("\n"))
        }
        #expect(MidiFileError.unsupportedFormat(2).description.contains("format 2"))
        #expect(MidiFileError.eventPastTrackEnd(track: 3, offset: 1234).description.contains("track 3"))
        #expect(MidiFileError.eventPastTrackEnd(track: 3, offset: 1234).description.contains("1234"))
        #expect(MidiFileError.truncatedChunk(type: "MTrk", offset: 14, declared: 100, available: 4).description.contains("100"))
    }

    /// The byte offsets at which a chunk ends (the header included): cutting a file there leaves
    /// whole tracks, anywhere else cuts a chunk in two.
    static func chunkBoundaries(_ bytes: [UInt8]) -> Set<Int> {
        var boundaries: Set<Int> = [14]
        var offset = 14
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset + 4]) << 24 | Int(bytes[offset + 5]) << 16 | Int(bytes[offset + 6]) << 8 | Int(bytes[offset + 7])
            offset += 8 + length
            boundaries.insert(offset)
        }
        return boundaries
    }

    /// Parsed files keep their promises: sorted, finite, within the duration.
    static func checkInvariants(_ file: MidiFile) -> Bool {
        var previous = (tick: 0, time: 0.0)
        for event in file.events {
            guard event.tick >= previous.tick, event.time >= previous.time, event.time.isFinite else { return false }
            previous = (event.tick, event.time)
        }
        return file.duration.isFinite && file.duration >= previous.time
    }

    @Test(arguments: ExampleMidiFiles.all().map(\.name))
    func truncationAtEveryOffset(name: String) {
        let bytes = ExampleMidiFiles.all().first { $0.name == name }!.bytes
        let boundaries = Self.chunkBoundaries(bytes)
        var parsedCount = 0
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            do throws(MidiFileError) {
                let file = try MidiFile(bytes: prefix)
                parsedCount += 1
                #expect(boundaries.contains(length), "\(name) cut at \(length) parsed")
                #expect(Self.checkInvariants(file))
            } catch {
                #expect(!boundaries.contains(length), "\(name) cut at \(length): \(error)")
                if length > 14 {
                    switch error {
                    case .truncatedChunk, .truncatedChunkHeader: break
                    default: Issue.record("\(name) cut at \(length): unexpected \(error)")
                    }
                }
            }
        }
        #expect(parsedCount == boundaries.filter { $0 < bytes.count }.count)
    }

    @Test(arguments: ExampleMidiFiles.all().map(\.name))
    func randomByteChanges(name: String) {
        let bytes = ExampleMidiFiles.all().first { $0.name == name }!.bytes
        var random = SeededRandom(seed: 0xA77A_CCA0 ^ UInt64(bytes.count))
        var parsed = 0
        var failed = 0
        for _ in 0..<400 {
            var mutant = bytes
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let index = Int.random(in: 0..<mutant.count, using: &random)
                // Half the time a random byte; otherwise a value that means something in SMF.
                mutant[index] = Bool.random(using: &random)
                    ? UInt8.random(in: 0...255, using: &random)
                    : [0x00, 0x7F, 0x80, 0x90, 0xF0, 0xF7, 0xFF, 0x2F, 0x51].randomElement(using: &random)!
            }
            do throws(MidiFileError) {
                let file = try MidiFile(bytes: mutant)
                parsed += 1
                #expect(Self.checkInvariants(file))
            } catch {
                failed += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(parsed + failed == 400)
    }

    @Test func randomTrackData() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...64, using: &random)
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let format = Int.random(in: 0...1, using: &random)
            if let file = try? MidiFile(bytes: T.file(format: format, tracks: [data, data.reversed()])) {
                #expect(Self.checkInvariants(file))
            }
        }
    }

    @Test func fifoWithoutWriterDoesNotHang() throws {
        let path = "/tmp/attacca-midi-test-fifo-\(getpid())"
        unlink(path)
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        #expect(throws: MidiFileError.notAMidiFile) { try MidiFile(path: path) }
    }
}
