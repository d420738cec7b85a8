import AttaccaAssets
import AttaccaCore
import Glibc
import Testing

@Suite struct MidiFileTests {
    typealias T = MidiTestFile

    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func messages(_ file: MidiFile) -> [MidiMessage] { file.events.map(\.message) }

    /// A whole file's bytes, nil if it cannot be opened.
    static func readBytes(_ path: String) -> [UInt8]? {
        guard let stream = fopen(path, "rb") else { return nil }
        defer { fclose(stream) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, stream)
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    func approx(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    // MARK: Writer → reader

    @Test(arguments: [true, false])
    func writerRoundTrip(runningStatus: Bool) throws {
        var first = MidiFileWriter.Track(name: "one")
        var second = MidiFileWriter.Track()
        let firstEvents: [(Int, MidiMessage)] = [
            (0, .programChange(channel: 0, program: 19)),
            (0, .noteOn(channel: 0, key: 60, velocity: 100)),
            (10, .controlChange(channel: 0, controller: 64, value: 127)),
            (200, .pitchBend(channel: 0, value: 12345)),
            (200, .channelPressure(channel: 0, value: 77)),
            (300, .polyphonicPressure(channel: 0, key: 60, value: 55)),
            (479, .noteOff(channel: 0, key: 60, velocity: 64)),
            (100_000, .noteOn(channel: 0, key: 61, velocity: 0)),
        ]
        for (tick, message) in firstEvents { first.add(message, at: tick) }
        second.add(.noteOn(channel: 15, key: 127, velocity: 1), at: 5)
        second.add(.noteOn(channel: 15, key: 0, velocity: 127), at: 5)
        second.add(.systemReset, at: 7)
        second.endTick = 200_000

        let bytes = MidiFileWriter(format: 1, resolution: 96, usesRunningStatus: runningStatus).bytes(tracks: [first, second])
        let file = try MidiFile(bytes: bytes)
        #expect(file.format == 1)
        #expect(file.trackCount == 2)
        #expect(file.resolution == 96)
        #expect(file.division == .ticksPerQuarterNote(96))
        let expected: [(Int, MidiMessage)] = [
            (0, .programChange(channel: 0, program: 19)),
            (0, .noteOn(channel: 0, key: 60, velocity: 100)),
            (5, .noteOn(channel: 15, key: 127, velocity: 1)),
            (5, .noteOn(channel: 15, key: 0, velocity: 127)),
            // The writer puts systemReset as a GM System On sysex, which reads back as its pieces.
            (7, MidiMessage(status: 0xF0, data1: 0xF0, data2: 0x7E)),
            (7, MidiMessage(status: 0xF0, data1: 0x7F, data2: 0x09)),
            (7, MidiMessage(status: 0xF0, data1: 0x01, data2: 0xF7)),
            (10, .controlChange(channel: 0, controller: 64, value: 127)),
            (200, .pitchBend(channel: 0, value: 12345)),
            (200, .channelPressure(channel: 0, value: 77)),
            (300, .polyphonicPressure(channel: 0, key: 60, value: 55)),
            (479, .noteOff(channel: 0, key: 60, velocity: 64)),
            (100_000, .noteOn(channel: 0, key: 61, velocity: 0)),
        ]
        #expect(file.events.map(\.tick) == expected.map(\.0))
        #expect(Self.messages(file) == expected.map(\.1))
        #expect(file.events[8].message.pitchBendValue == 12345)
        // 120 BPM default: a tick is 0.5 s / 96.
        for event in file.events {
            #expect(abs(event.time - Double(event.tick) * 0.5 / 96) < 1e-9)
        }
        #expect(abs(file.duration - 200_000 * 0.5 / 96) < 1e-9)
    }

    @Test func runningStatusWritesFewerBytesAndReadsTheSame() throws {
        var track = MidiFileWriter.Track()
        for i in 0..<50 {
            track.add(.noteOn(channel: 3, key: 40 + i, velocity: 90), at: i * 10)
            track.add(.noteOn(channel: 3, key: 40 + i, velocity: 0), at: i * 10 + 5)
        }
        let with = MidiFileWriter(usesRunningStatus: true).bytes(tracks: [track])
        let without = MidiFileWriter(usesRunningStatus: false).bytes(tracks: [track])
        #expect(with.count < without.count)
        #expect(try MidiFile(bytes: with).events == MidiFile(bytes: without).events)
    }

    @Test func format0WriterMergesTracks() throws {
        var a = MidiFileWriter.Track()
        var b = MidiFileWriter.Track()
        a.add(.noteOn(channel: 0, key: 60, velocity: 1), at: 10)
        b.add(.noteOn(channel: 1, key: 61, velocity: 2), at: 5)
        b.addTempo(beatsPerMinute: 60, at: 0)
        let file = try MidiFile(bytes: MidiFileWriter(format: 0).bytes(tracks: [a, b]))
        #expect(file.format == 0)
        #expect(file.trackCount == 1)
        #expect(Self.messages(file) == [.noteOn(channel: 1, key: 61, velocity: 2), .noteOn(channel: 0, key: 60, velocity: 1)])
        #expect(abs(file.events[1].time - 10.0 / 480) < 1e-12)
    }

    // MARK: Running status

    @Test func runningStatusAcrossChannelMessages() throws {
        // Note-on, then two more under running status (the last with velocity 0, which stays a
        // note-on), then a program change and a second one under its own running status.
        let track: [UInt8] = [0x00, 0x90, 60, 100, 0x10, 62, 90, 0x10, 60, 0,
                              0x00, 0xC1, 5, 0x01, 6] + T.endOfTrack
        let file = try MidiFile(bytes: T.file(tracks: [track]))
        #expect(Self.messages(file) == [
            .noteOn(channel: 0, key: 60, velocity: 100), .noteOn(channel: 0, key: 62, velocity: 90),
            .noteOn(channel: 0, key: 60, velocity: 0), .programChange(channel: 1, program: 5),
            .programChange(channel: 1, program: 6),
        ])
        #expect(file.events.map(\.tick) == [0, 16, 32, 32, 33])
    }

    @Test func runningStatusIsPerTrack() {
        let first: [UInt8] = [0x00, 0x90, 60, 100] + T.endOfTrack
        let second: [UInt8] = [0x00, 61, 100] + T.endOfTrack
        #expect(throws: MidiFileError.runningStatusWithoutStatus(track: 1, offset: 14 + 8 + first.count + 8 + 1)) {
            try MidiFile(bytes: T.file(tracks: [first, second]))
        }
    }

    @Test func metaAndSysexCancelRunningStatus() {
        let afterMeta: [UInt8] = [0x00, 0x90, 60, 100, 0x00, 0xFF, 0x01, 0x01, 0x41, 0x00, 62, 100] + T.endOfTrack
        #expect(throws: MidiFileError.dataByteWhereStatusExpected(track: 0, offset: 22 + 10, byte: 62)) {
            try MidiFile(bytes: T.file(tracks: [afterMeta]))
        }
        let afterSysex: [UInt8] = [0x00, 0x90, 60, 100, 0x00, 0xF0, 0x02, 0x01, 0xF7, 0x00, 62, 100] + T.endOfTrack
        #expect(throws: MidiFileError.dataByteWhereStatusExpected(track: 0, offset: 22 + 10, byte: 62)) {
            try MidiFile(bytes: T.file(tracks: [afterSysex]))
        }
    }

    // MARK: Tempo

    @Test func eventsAfterATempoChangeUseTheNewTempo() throws {
        // Conductor: 120 BPM at 0, 60 BPM at tick 960, 240 BPM at tick 1920.
        var conductor = MidiFileWriter.Track()
        conductor.tempoChanges = [(0, 500_000), (960, 1_000_000), (1920, 250_000)]
        var notes = MidiFileWriter.Track()
        for tick in [0, 480, 960, 1440, 1920, 2400] { notes.add(.noteOn(channel: 0, key: 60, velocity: 1), at: tick) }
        let file = try MidiFile(bytes: MidiFileWriter(resolution: 480).bytes(tracks: [conductor, notes]))
        let expected = [0.0, 0.5, 1.0, 2.0, 3.0, 3.25]
        #expect(file.events.count == expected.count)
        for (event, seconds) in zip(file.events, expected) { #expect(abs(event.time - seconds) < 1e-9) }
        #expect(file.tempoChanges.map(\.tick) == [0, 960, 1920])
        #expect(zip(file.tempoChanges.map(\.time), [0.0, 1, 3]).allSatisfy { approx($0, $1) })
        #expect(file.tempoChanges[1].beatsPerMinute == 60)
        #expect(abs(file.duration - 3.25) < 1e-9)
    }

    @Test func defaultTempoIs120BPM() throws {
        let track: [UInt8] = [0x83, 0x60, 0x90, 60, 100] + T.endOfTrack  // delta 480
        let file = try MidiFile(bytes: T.file(tracks: [track]))
        #expect(file.events[0].tick == 480)
        #expect(approx(file.events[0].time, 0.5))
        #expect(file.tempoChanges.isEmpty)
    }

    @Test func tempoEventsInAnyTrackApplyToAllTracks() throws {
        // Track 0 has notes only; track 1 sets 60 BPM at tick 240.
        let notes: [UInt8] = [0x00, 0x90, 60, 1, 0x83, 0x60, 0x90, 61, 1] + T.endOfTrack   // ticks 0, 480
        let tempo: [UInt8] = [0x81, 0x70, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40] + T.endOfTrack  // tick 240
        let file = try MidiFile(bytes: T.file(tracks: [notes, tempo]))
        #expect(file.events.count == 2)
        #expect(approx(file.events[0].time, 0) && approx(file.events[1].time, 0.75))
    }

    @Test func laterTempoAtTheSameTickWins() throws {
        let track = T.tempo(microseconds: 250_000) + T.tempo(microseconds: 1_000_000) + [0x83, 0x60, 0x90, 60, 1] + T.endOfTrack
        let file = try MidiFile(bytes: T.file(tracks: [track]))
        #expect(approx(file.events[0].time, 1.0))
    }

    @Test func smpteDivisionUsesAbsoluteTime() throws {
        // -25 frames per second, 40 ticks per frame: 1000 ticks a second; tempo is ignored.
        let track = T.tempo(microseconds: 1_000_000) + [0x87, 0x68, 0x90, 60, 1] + T.endOfTrack  // tick 1000
        let file = try MidiFile(bytes: T.file(division: 0xE728, tracks: [track]))
        #expect(file.division == .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        #expect(file.resolution == 0)
        #expect(abs(file.events[0].time - 1.0) < 1e-12)
        // 29 means 30 drop frame: 29.97 frames per second.
        let dropFrame = try MidiFile(bytes: T.file(division: 0xE301, tracks: [[0x81, 0x00, 0x90, 60, 1] + T.endOfTrack]))
        #expect(abs(dropFrame.events[0].time - 128 * 1001.0 / 30_000) < 1e-12)
    }

    // MARK: Merging and structure

    @Test func format1MergeOrderIsTickThenTrackThenFileOrder() throws {
        let track0: [UInt8] = [0x00, 0x90, 1, 1, 0x00, 0x90, 2, 1, 0x0A, 0x90, 3, 1] + T.endOfTrack   // 0, 0, 10
        let track1: [UInt8] = [0x00, 0x91, 4, 1, 0x0A, 0x91, 5, 1, 0x00, 0x91, 6, 1] + T.endOfTrack   // 0, 10, 10
        let track2: [UInt8] = [0x05, 0x92, 7, 1] + T.endOfTrack                                         // 5
        let file = try MidiFile(bytes: T.file(tracks: [track0, track1, track2]))
        #expect(file.events.map { Int($0.message.data1) } == [1, 2, 4, 7, 3, 5, 6])
        #expect(file.events.map(\.track) == [0, 0, 1, 2, 0, 1, 1])
    }

    @Test func sysexBecomesPieces() throws {
        let gmOn: [UInt8] = [0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7]
        let gm2On: [UInt8] = [0x00, 0xF0, 0x05, 0x7E, 0x10, 0x09, 0x03, 0xF7]
        let gsReset: [UInt8] = [0x00, 0xF0, 0x0A, 0x41, 0x10, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41, 0xF7]
        let xgOn: [UInt8] = [0x00, 0xF0, 0x08, 0x43, 0x10, 0x4C, 0x00, 0x00, 0x7E, 0x00, 0xF7]
        let escaped: [UInt8] = [0x00, 0xF7, 0x06, 0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7]
        let gmOff: [UInt8] = [0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x02, 0xF7]
        let other: [UInt8] = [0x00, 0xF0, 0x03, 0x43, 0x12, 0xF7]
        let xgWrongCommand: [UInt8] = [0x00, 0xF0, 0x08, 0x43, 0x30, 0x4C, 0x00, 0x00, 0x7E, 0x00, 0xF7]
        let unterminated: [UInt8] = [0x00, 0xF0, 0x04, 0x7E, 0x7F, 0x09, 0x01]
        for data in [gmOn, gm2On, gsReset, xgOn, escaped, gmOff, other, xgWrongCommand, unterminated] {
            let file = try MidiFile(bytes: T.file(tracks: [data + [0x00, 0x90, 60, 1] + T.endOfTrack]))
            // Delta time, F0 (or F7), length, then the bytes after F0 (the escape's begin with F0).
            let bytes = (data[1] == 0xF0 ? [0xF0] : []) + Array(data.dropFirst(3))
            let expected = MidiMessage.sysex(bytes) + [.noteOn(channel: 0, key: 60, velocity: 1)]
            #expect(Self.messages(file) == expected, "sysex \(data)")
        }
    }

    @Test func otherMetaEventsAreSkipped() throws {
        let track: [UInt8] = [0x00, 0xFF, 0x03, 0x04, 0x4E, 0x61, 0x6D, 0x65,        // track name
                              0x00, 0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08,        // time signature
                              0x00, 0xFF, 0x7F, 0x00,                                // empty sequencer-specific
                              0x00, 0x90, 60, 1] + T.endOfTrack
        #expect(try Self.messages(MidiFile(bytes: T.file(tracks: [track]))) == [.noteOn(channel: 0, key: 60, velocity: 1)])
    }

    @Test func missingEndOfTrackIsTolerated() throws {
        let track: [UInt8] = [0x00, 0x90, 60, 1, 0x60, 0x80, 60, 0]
        let file = try MidiFile(bytes: T.file(tracks: [track, [0x00, 0x91, 61, 1] + T.endOfTrack]))
        #expect(file.events.count == 3)
        #expect(approx(file.duration, 0.1))
    }

    @Test func dataAfterEndOfTrackIsIgnored() throws {
        let track: [UInt8] = [0x00, 0x90, 60, 1] + T.endOfTrack + [0x00, 0x90, 61, 1, 0xFF, 0xFF]
        #expect(try MidiFile(bytes: T.file(tracks: [track])).events.count == 1)
    }

    @Test func durationIncludesTheLastEndOfTrack() throws {
        let short: [UInt8] = [0x00, 0x90, 60, 1, 0x10, 0x80, 60, 0] + T.endOfTrack
        let long: [UInt8] = [0x00, 0x91, 61, 1, 0x83, 0x60, 0xFF, 0x2F, 0x00]   // End of Track at 480
        #expect(try approx(MidiFile(bytes: T.file(tracks: [short, long])).duration, 0.5))
    }

    @Test func otherChunksAreSkipped() throws {
        let bytes = T.header(trackCount: 2) + T.chunk("XYZW", [1, 2, 3]) + T.chunk("MTrk", [0x00, 0x90, 60, 1] + T.endOfTrack)
            + T.chunk("MTrk", []) + T.chunk("MTrk", [0x00, 0x90, 99, 1])   // beyond the declared two tracks
        let file = try MidiFile(bytes: bytes)
        #expect(file.trackCount == 2)
        #expect(Self.messages(file) == [.noteOn(channel: 0, key: 60, velocity: 1)])
    }

    @Test func fewerTracksThanDeclaredAreAccepted() throws {
        let bytes = T.header(trackCount: 5) + T.chunk("MTrk", [0x00, 0x90, 60, 1] + T.endOfTrack)
        let file = try MidiFile(bytes: bytes)
        #expect(file.trackCount == 1)
        #expect(file.events.count == 1)
    }

    @Test func longerHeaderIsAccepted() throws {
        let bytes = Array("MThd".utf8) + T.uint32(8) + T.uint16(0) + T.uint16(1) + T.uint16(96) + [0xAA, 0xBB]
            + T.chunk("MTrk", [0x60, 0x90, 60, 1] + T.endOfTrack)
        let file = try MidiFile(bytes: bytes)
        #expect(file.resolution == 96)
        #expect(approx(file.events[0].time, 0.5))
    }

    @Test func emptyTrackListGivesAnEmptyFile() throws {
        let file = try MidiFile(bytes: T.header(trackCount: 0))
        #expect(file.events.isEmpty)
        #expect(file.duration == 0)
    }

    @Test func maximumVariableLengthQuantity() throws {
        let track: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F, 0x90, 60, 1] + T.endOfTrack
        #expect(try MidiFile(bytes: T.file(tracks: [track])).events[0].tick == 0x0FFF_FFFF)
    }

    // MARK: Files on disk

    @Test func readsAFileFromAPath() throws {
        let file = try MidiFile(path: Self.repositoryRoot + "/Examples/a440.mid")
        #expect(Self.messages(file).contains(.noteOn(channel: 0, key: 69, velocity: 100)))
    }

    @Test func missingFileGivesErrnoText() {
        let path = Self.repositoryRoot + "/Examples/no-such-file.mid"
        #expect(throws: MidiFileError.unreadableFile(path: path, reason: "No such file or directory")) {
            try MidiFile(path: path)
        }
    }

    @Test func directoryGivesErrnoText() {
        #expect(throws: MidiFileError.unreadableFile(path: Self.repositoryRoot, reason: "Is a directory")) {
            try MidiFile(path: Self.repositoryRoot)
        }
    }

    // MARK: Examples

    @Test func examplesParse() throws {
        let examples = ExampleMidiFiles.all()
        #expect(examples.map(\.name) == ["scale.mid", "chords-sustain.mid", "drums.mid", "dense.mid", "a440.mid"])
        for (name, bytes) in examples {
            let file = try MidiFile(bytes: bytes)
            #expect(!file.events.isEmpty, "\(name)")
            // Every note-on is matched by a note-off (or a velocity-0 note-on) on the same key.
            var sounding: [Int: Int] = [:]
            for event in file.events where event.message.kind == .noteOn || event.message.kind == .noteOff {
                let key = event.message.channel << 7 | Int(event.message.data1)
                sounding[key, default: 0] += event.message.kind == .noteOn && event.message.data2 > 0 ? 1 : -1
            }
            #expect(sounding.values.allSatisfy { $0 == 0 }, "\(name)")
        }
    }

    @Test func examplesAreDeterministic() {
        let first = ExampleMidiFiles.all()
        let second = ExampleMidiFiles.all()
        #expect(first.map(\.bytes) == second.map(\.bytes))
    }

    @Test func committedExamplesMatchTheGenerator() throws {
        for (name, bytes) in ExampleMidiFiles.all() {
            let path = Self.repositoryRoot + "/Examples/" + name
            let committed = try #require(Self.readBytes(path), "\(path) is missing")
            #expect(committed == bytes, "\(path) is stale: regenerate it with attacca-assets")
        }
    }

    @Test func scaleExample() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.scale())
        let keys = file.events.filter { $0.message.kind == .noteOn }.map { Int($0.message.data1) }
        #expect(keys == [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60])
        #expect(file.events.allSatisfy { $0.message.channel == 0 })
        #expect(file.format == 0)
        #expect(approx(file.duration, 4.5))
    }

    @Test func chordsSustainExample() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.chordsSustain())
        let messages = Self.messages(file)
        #expect(messages.contains(.programChange(channel: 1, program: 48)))
        #expect(messages.contains(.programChange(channel: 2, program: 32)))
        for controller in [64, 66] {
            #expect(messages.contains(.controlChange(channel: 0, controller: controller, value: 127)))
            #expect(messages.contains(.controlChange(channel: 0, controller: controller, value: 0)))
        }
        #expect(abs(file.duration - 10) < 1e-9)
    }

    @Test func drumsExample() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.drums())
        #expect(file.format == 1)
        #expect(file.tempoChanges.map(\.microsecondsPerQuarterNote) == [500_000, 428_571])
        let notes = file.events.filter { $0.message.kind == .noteOn }
        #expect(notes.allSatisfy { $0.message.channel == 9 })
        #expect(Set(notes.map { Int($0.message.data1) }) == [36, 38, 42, 46, 49])
        #expect(file.duration > 7.5 && file.duration < 9)
    }

    @Test func denseExampleReaches300SimultaneousNotes() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.dense())
        var sounding = 0
        var peak = 0
        var channels = Set<Int>()
        for event in file.events {
            let message = event.message
            if message.kind == .noteOn && message.data2 > 0 {
                sounding += 1
                channels.insert(message.channel)
            } else if message.kind == .noteOff || message.kind == .noteOn {
                sounding -= 1
            }
            peak = max(peak, sounding)
        }
        #expect(peak >= 300)
        #expect(channels.count == 16)
        let kinds = Set(file.events.map { $0.message.kind == .controlChange ? 0x100 | Int($0.message.data1) : Int($0.message.kind.rawValue) })
        for required in [0xE0, 0xD0, 0x100 | 1, 0x100 | 10, 0x100 | 11] { #expect(kinds.contains(required)) }
        #expect(abs(file.duration - 10) < 1e-9)
    }

    @Test func a440Example() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.a440())
        #expect(Self.messages(file) == [.programChange(channel: 0, program: 0), .noteOn(channel: 0, key: 69, velocity: 100),
                                        .noteOff(channel: 0, key: 69)])
        #expect(approx(file.events[2].time, 3))
    }
}
