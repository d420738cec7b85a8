/// Reads the chunks of a Standard MIDI File (SMF 1.0) and the events of its tracks, in file
/// order; `MidiFile` merges them into one timeline.
///
/// Work is bounded by the input's size: every declared length is checked against the bytes
/// actually present before anything is read or skipped.
struct MidiFileParser {
    /// A channel message or reset, at its tick, in the order read.
    struct TrackEvent {
        var tick: Int
        var message: MidiMessage
        var track: Int
    }

    /// A Set Tempo meta event, in the order read.
    struct TempoEvent {
        var tick: Int
        var microsecondsPerQuarterNote: Int
    }

    let bytes: [UInt8]
    private(set) var format = 0
    private(set) var division = MidiFile.Division.ticksPerQuarterNote(480)
    /// MTrk chunks read (the header may declare more than the file holds).
    private(set) var trackCount = 0
    private(set) var events: [TrackEvent] = []
    private(set) var tempoEvents: [TempoEvent] = []
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

    /// Reads one MTrk chunk's events. Data after End of Track is ignored; a track without End of
    /// Track ends with its last event.
    private mutating func readTrack(_ range: Range<Int>, index track: Int) throws(MidiFileError) {
        let end = range.upperBound
        var position = range.lowerBound
        var tick = 0
        var runningStatus: UInt8 = 0
        var statusCancelled = false

        while position < end {
            let eventStart = position
            tick += try readVariableLengthQuantity(&position, end: end, track: track, eventStart: eventStart)
            guard position < end else { throw .eventPastTrackEnd(track: track, offset: eventStart) }

            var status = bytes[position]
            if status < 0x80 {
                guard runningStatus != 0 else {
                    if statusCancelled {
                        throw .dataByteWhereStatusExpected(track: track, offset: position, byte: status)
                    }
                    throw .runningStatusWithoutStatus(track: track, offset: position)
                }
                status = runningStatus
            } else {
                position += 1
            }

            switch status {
            case 0x80...0xEF:
                runningStatus = status
                let kind = status & 0xF0
                let dataCount = kind == 0xC0 || kind == 0xD0 ? 1 : 2
                guard end - position >= dataCount else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
                for i in 0..<dataCount where bytes[position + i] >= 0x80 {
                    throw .statusByteInData(track: track, offset: position + i, byte: bytes[position + i])
                }
                let data1 = bytes[position]
                let data2 = dataCount == 2 ? bytes[position + 1] : 0
                position += dataCount
                events.append(TrackEvent(tick: tick, message: MidiMessage(status: status, data1: data1, data2: data2), track: track))

            case 0xF0, 0xF7:
                // SMF 1.0: sysex and meta events cancel running status.
                runningStatus = 0
                statusCancelled = true
                let length = try readVariableLengthQuantity(&position, end: end, track: track, eventStart: eventStart)
                guard length <= end - position else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
                // F0 <length> <bytes after F0>: a message (or its first packet when it does not end
                // with F7); F7 <length> <bytes>: a whole message when they begin with F0, else the
                // next packet of a split one. Either way the engine reads the bytes as a stream.
                let body = bytes[position..<position + length]
                let stream = status == 0xF0 ? [0xF0] + Array(body) : Array(body)
                if !stream.isEmpty {
                    for piece in MidiMessage.sysex(stream) { events.append(TrackEvent(tick: tick, message: piece, track: track)) }
                }
                position += length

            case 0xFF:
                runningStatus = 0
                statusCancelled = true
                guard position < end else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
                let type = bytes[position]
                position += 1
                let length = try readVariableLengthQuantity(&position, end: end, track: track, eventStart: eventStart)
                guard length <= end - position else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
                if type == 0x51 {
                    let tempo = length == 3 ? Int(bytes[position]) << 16 | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]) : 0
                    guard tempo > 0 else { throw .invalidTempo(track: track, offset: eventStart) }
                    tempoEvents.append(TempoEvent(tick: tick, microsecondsPerQuarterNote: tempo))
                }
                position += length
                if type == 0x2F {
                    endTick = max(endTick, tick)
                    return
                }

            default:
                throw .unsupportedStatus(track: track, offset: position - 1, byte: status)
            }
        }
        endTick = max(endTick, tick)
    }

    /// Reads a variable-length quantity: 7 bits a byte, most significant first, at most 4 bytes.
    private func readVariableLengthQuantity(_ position: inout Int, end: Int, track: Int, eventStart: Int) throws(MidiFileError) -> Int {
        let start = position
        var value = 0
        for _ in 0..<4 {
            guard position < end else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
            let byte = bytes[position]
            position += 1
            value = value << 7 | Int(byte & 0x7F)
            if byte < 0x80 { return value }
        }
        throw .variableLengthQuantityTooLong(track: track, offset: start)
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
