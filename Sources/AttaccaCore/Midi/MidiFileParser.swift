/// Reads the chunks of a Standard MIDI File (SMF 1.0) and checks every event of its tracks;
/// `MidiFile.EventIterator` reads them again, merged into one timeline, when they are played.
///
/// Work is bounded by the input's size: every declared length is checked against the bytes
/// actually present before anything is read or skipped.
struct MidiFileParser {
    let bytes: [UInt8]
    private(set) var format = 0
    private(set) var division = MidiFile.Division.ticksPerQuarterNote(480)
    /// MTrk chunks read (the header may declare more than the file holds).
    private(set) var trackCount = 0
    /// A reader at the start of each track that holds anything (checked to the end).
    private(set) var readers: [MidiTrackReader] = []
    /// Channel messages (and resets) in all tracks.
    private(set) var eventCount = 0
    /// The latest tick any track reaches, End of Track included.
    private(set) var endTick = 0

    init(bytes: [UInt8]) throws(MidiFileError) {
        self.bytes = bytes
        try readFile()
    }

    private mutating func readFile() throws(MidiFileError) {
        guard bytes.count >= 4, bytes[0..<4].elementsEqual("MThd".utf8) else { throw .notAMidiFile }
        guard bytes.count >= 8 else { throw .truncatedHeader(declared: 6, available: 0) }
        let headerLength = readUInt32(at: 4)
        guard headerLength >= 6 else { throw .headerTooShort(length: headerLength) }
        guard headerLength <= bytes.count - 8 else {
            throw .truncatedHeader(declared: headerLength, available: bytes.count - 8)
        }
        format = readUInt16(at: 8)
        guard format == 0 || format == 1 else { throw .unsupportedFormat(format) }
        let declaredTrackCount = readUInt16(at: 10)
        division = try MidiFile.Division(field: readUInt16(at: 12))

        // Chunks other than MTrk are skipped. A file that ends cleanly between chunks before the
        // declared number of tracks is accepted with the tracks it has.
        var offset = 8 + headerLength
        while trackCount < declaredTrackCount && offset < bytes.count {
            let available = bytes.count - offset
            guard available >= 8 else { throw .truncatedChunkHeader(offset: offset, available: available) }
            let type = bytes[offset..<offset + 4]
            let length = readUInt32(at: offset + 4)
            let dataStart = offset + 8
            guard length <= bytes.count - dataStart else {
                throw .truncatedChunk(type: Self.printable(type), offset: offset, declared: length,
                                      available: bytes.count - dataStart)
            }
            if type.elementsEqual("MTrk".utf8) {
                try readTrack(dataStart..<dataStart + length, index: trackCount)
                trackCount += 1
            }
            offset = dataStart + length
        }
    }

    /// Checks one MTrk chunk's events to its end (`MidiTrackReader` says how they are read),
    /// keeping a reader at its start when it holds anything.
    private mutating func readTrack(_ range: Range<Int>, index track: Int) throws(MidiFileError) {
        let start = MidiTrackReader(track: track, range: range)
        var reader = start
        var holdsAnything = false
        var count = 0
        try bytes.withUnsafeBufferPointer { (buffer) throws(MidiFileError) in
            while let item = try reader.next(buffer) {
                holdsAnything = true
                if case .message = item { count += 1 }
            }
        }
        eventCount += count
        endTick = max(endTick, reader.tick)
        if holdsAnything { readers.append(start) }
    }

    private func readUInt16(at offset: Int) -> Int {
        Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    private func readUInt32(at offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    /// A chunk type for an error message: ASCII letters kept, anything else shown as '?'.
    private static func printable(_ type: ArraySlice<UInt8>) -> String {
        String(decoding: type.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
