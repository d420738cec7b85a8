/// Decodes one MTrk chunk event by event, straight from the file's bytes: used once to check
/// every track when the file is read, and again, merged across tracks, each time the events are
/// played (`MidiFile.EventIterator`). Nothing per event is stored, so memory stays a small
/// multiple of the file whatever its events (a 63 MB file of 2-byte running-status events
/// took 1.5 GB as an array of events).
///
/// Data after End of Track is ignored; a track without End of Track ends with its last event.
struct MidiTrackReader: Sendable {
    /// What a track holds that matters: a channel message (or a piece of a sysex), or a tempo.
    enum Item: Sendable {
        case message(MidiMessage)
        case tempo(microsecondsPerQuarterNote: Int)
    }

    let track: Int
    let end: Int
    private(set) var position: Int
    /// The tick of the item last returned (after End of Track: its tick).
    private(set) var tick = 0
    private(set) var isFinished = false
    private var runningStatus: UInt8 = 0
    private var statusCancelled = false
    /// A sysex event still being handed out as `MidiMessage.sysex` pieces (two bytes each, FF
    /// padding, all at the event's tick): F0 first when the event was F0-led, then its bytes.
    private var pendingF0 = false
    private var pendingPosition = 0
    private var pendingEnd = 0

    init(track: Int, range: Range<Int>) {
        self.track = track
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// The next item, or nil at the end of the track; `tick` is then its tick.
    mutating func next(_ bytes: UnsafeBufferPointer<UInt8>) throws(MidiFileError) -> Item? {
        if pendingF0 || pendingPosition < pendingEnd { return .message(nextSysexPiece(bytes)) }
        while !isFinished && position < end {
            let eventStart = position
            tick += try readVariableLengthQuantity(bytes, eventStart: eventStart)
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
                return .message(MidiMessage(status: status, data1: data1, data2: data2))

            case 0xF0, 0xF7:
                // SMF 1.0: sysex and meta events cancel running status.
                runningStatus = 0
                statusCancelled = true
                let length = try readVariableLengthQuantity(bytes, eventStart: eventStart)
                guard length <= end - position else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
                // F0 <length> <bytes after F0>: a message (or its first packet when it does not end
                // with F7); F7 <length> <bytes>: a whole message when they begin with F0, else the
                // next packet of a split one. Either way the engine reads the bytes as a stream.
                pendingF0 = status == 0xF0
                pendingPosition = position
                pendingEnd = position + length
                position += length
                if pendingF0 || length > 0 { return .message(nextSysexPiece(bytes)) }

            case 0xFF:
                runningStatus = 0
                statusCancelled = true
                guard position < end else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
                let type = bytes[position]
                position += 1
                let length = try readVariableLengthQuantity(bytes, eventStart: eventStart)
                guard length <= end - position else { throw .eventPastTrackEnd(track: track, offset: eventStart) }
                let start = position
                position += length
                if type == 0x51 {
                    let tempo = length == 3 ? Int(bytes[start]) << 16 | Int(bytes[start + 1]) << 8 | Int(bytes[start + 2]) : 0
                    guard tempo > 0 else { throw .invalidTempo(track: track, offset: eventStart) }
                    return .tempo(microsecondsPerQuarterNote: tempo)
                }
                if type == 0x2F {
                    isFinished = true
                    return nil
                }

            default:
                throw .unsupportedStatus(track: track, offset: position - 1, byte: status)
            }
        }
        isFinished = true
        return nil
    }

    /// The next two bytes of the sysex being handed out (FF after its last byte).
    private mutating func nextSysexPiece(_ bytes: UnsafeBufferPointer<UInt8>) -> MidiMessage {
        func take() -> UInt8 {
            if pendingF0 { pendingF0 = false; return 0xF0 }
            if pendingPosition < pendingEnd { pendingPosition += 1; return bytes[pendingPosition - 1] }
            return 0xFF
        }
        let first = take()
        return MidiMessage(status: 0xF0, data1: first, data2: take())
    }

    /// Reads a variable-length quantity: 7 bits a byte, most significant first, at most 4 bytes.
    private mutating func readVariableLengthQuantity(_ bytes: UnsafeBufferPointer<UInt8>, eventStart: Int) throws(MidiFileError) -> Int {
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
}
