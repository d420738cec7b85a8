/// Why a Standard MIDI File could not be read. Each case names where the problem is: the byte
/// offset from the start of the file and, inside a track, the track's index (counted from 0 in
/// the order the MTrk chunks appear).
public enum MidiFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `open` or `read` failed; `reason` is the system's text for errno.
    case unreadableFile(path: String, reason: String)
    /// The file is larger than `MidiFile.maximumFileSize`; nothing that large is a MIDI file.
    case fileTooLarge(path: String, size: Int)
    /// The data does not start with an MThd chunk.
    case notAMidiFile
    /// The MThd chunk declares more bytes than the file holds.
    case truncatedHeader(declared: Int, available: Int)
    /// The MThd chunk is shorter than the 6 bytes of format, track count and division.
    case headerTooShort(length: Int)
    /// Format 2 (independent sequences) or an undefined format number.
    case unsupportedFormat(Int)
    /// Division of zero ticks per quarter note, zero ticks per SMPTE frame, or an SMPTE frame
    /// rate other than 24, 25, 29 (drop frame) or 30. `division` is the raw header field.
    case invalidDivision(division: Int)
    /// Fewer than the 8 bytes of a chunk header remain where another track was expected.
    case truncatedChunkHeader(offset: Int, available: Int)
    /// A chunk declares more data than the file holds.
    case truncatedChunk(type: String, offset: Int, declared: Int, available: Int)
    /// A variable-length quantity longer than the 4 bytes the format allows.
    case variableLengthQuantityTooLong(track: Int, offset: Int)
    /// A data byte starts a track's first event, so there is no status for it to run on.
    case runningStatusWithoutStatus(track: Int, offset: Int)
    /// A data byte follows a sysex or meta event, which cancel running status.
    case dataByteWhereStatusExpected(track: Int, offset: Int, byte: UInt8)
    /// A byte with the top bit set inside a channel message's data.
    case statusByteInData(track: Int, offset: Int, byte: UInt8)
    /// A system common or real-time status byte (F1–F6, F8–FE), which a file cannot contain.
    case unsupportedStatus(track: Int, offset: Int, byte: UInt8)
    /// An event (or its length) runs past the end of its track chunk.
    case eventPastTrackEnd(track: Int, offset: Int)
    /// A Set Tempo meta event whose length is not 3 or whose tempo is zero.
    case invalidTempo(track: Int, offset: Int)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read MIDI file '\(path)': \(reason)"
        case let .fileTooLarge(path, size):
            return "'\(path)' is \(size) bytes, too large for a MIDI file (limit \(MidiFile.maximumFileSize))"
        case .notAMidiFile:
            return "not a MIDI file: it does not start with an MThd chunk"
        case let .truncatedHeader(declared, available):
            return "truncated MIDI header: MThd declares \(declared) bytes but only \(available) follow"
        case let .headerTooShort(length):
            return "MIDI header too short: MThd declares \(length) bytes, at least 6 are needed"
        case let .unsupportedFormat(format):
            if format == 2 {
                return "MIDI format 2 (independent sequences) is not supported, only formats 0 and 1"
            }
            return "unknown MIDI format \(format), only formats 0 and 1 are supported"
        case let .invalidDivision(division):
            return "invalid MIDI time division 0x\(String(division, radix: 16)) in the header"
        case let .truncatedChunkHeader(offset, available):
            return "truncated chunk header at byte \(offset): 8 bytes needed, \(available) available"
        case let .truncatedChunk(type, offset, declared, available):
            return "truncated \(type) chunk at byte \(offset): declares \(declared) bytes, \(available) available"
        case let .variableLengthQuantityTooLong(track, offset):
            return "variable-length quantity longer than 4 bytes in track \(track) at byte \(offset)"
        case let .runningStatusWithoutStatus(track, offset):
            return "running status with no previous status in track \(track) at byte \(offset)"
        case let .dataByteWhereStatusExpected(track, offset, byte):
            return "data byte 0x\(hex(byte)) where a status byte was expected (running status was cancelled by a sysex or meta event) in track \(track) at byte \(offset)"
        case let .statusByteInData(track, offset, byte):
            return "status byte 0x\(hex(byte)) inside a message's data in track \(track) at byte \(offset)"
        case let .unsupportedStatus(track, offset, byte):
            return "status byte 0x\(hex(byte)) is not allowed in a MIDI file, in track \(track) at byte \(offset)"
        case let .eventPastTrackEnd(track, offset):
            return "event runs past the end of track \(track), starting at byte \(offset)"
        case let .invalidTempo(track, offset):
            return "invalid Set Tempo event (length must be 3, tempo nonzero) in track \(track) at byte \(offset)"
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 16 ? "0" + digits : digits
    }
}
