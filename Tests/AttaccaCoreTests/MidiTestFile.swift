/// Builds Standard MIDI Files byte by byte, for tests that need files the writer would never
/// produce (odd chunks, running status, broken data).
enum MidiTestFile {
    /// End of Track meta event with a zero delta.
    static let endOfTrack: [UInt8] = [0x00, 0xFF, 0x2F, 0x00]

    static func uint16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func uint32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func header(format: Int = 1, trackCount: Int, division: Int = 480) -> [UInt8] {
        Array("MThd".utf8) + uint32(6) + uint16(format) + uint16(trackCount) + uint16(division)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        Array(type.utf8) + uint32(data.count) + data
    }

    /// A header declaring `tracks.count` tracks, then one MTrk chunk per track, data as given.
    static func file(format: Int = 1, division: Int = 480, tracks: [[UInt8]]) -> [UInt8] {
        header(format: format, trackCount: tracks.count, division: division) + tracks.flatMap { chunk("MTrk", $0) }
    }

    /// Set Tempo meta event after `delta` (a delta below 128 ticks).
    static func tempo(delta: UInt8 = 0, microseconds: Int) -> [UInt8] {
        [delta, 0xFF, 0x51, 0x03, UInt8(microseconds >> 16), UInt8(microseconds >> 8 & 0xFF), UInt8(microseconds & 0xFF)]
    }
}
