import AttaccaCore

/// Writes Standard MIDI Files (format 0 or 1, metrical time) from per-track event lists; the
/// example songs are made with it, and tests use it to build files for the reader.
///
/// `MidiMessage.systemReset` is written as a GM System On sysex (F0 7E 7F 09 01 F7), which the
/// reader turns back into `systemReset`. Messages of kind `.system` are not written.
public struct MidiFileWriter: Sendable {
    /// 0 merges all tracks into one; 1 writes each track as its own MTrk chunk.
    public var format: Int
    /// Ticks per quarter note, 1...32767.
    public var resolution: Int
    /// Leaves out a status byte equal to the previous one (SMF running status).
    public var usesRunningStatus: Bool

    public init(format: Int = 1, resolution: Int = 480, usesRunningStatus: Bool = true) {
        self.format = format
        self.resolution = resolution
        self.usesRunningStatus = usesRunningStatus
    }

    /// The complete file. Events are written in tick order (stable: equal ticks keep the order
    /// given, tempo changes first); negative ticks count as 0.
    public func bytes(tracks: [Track]) -> [UInt8] {
        let written = format == 0 ? [Self.merged(tracks)] : tracks
        var file: [UInt8] = Array("MThd".utf8)
        Self.appendUInt32(6, to: &file)
        Self.appendUInt16(format == 0 ? 0 : 1, to: &file)
        Self.appendUInt16(written.count, to: &file)
        Self.appendUInt16(min(max(resolution, 1), 0x7FFF), to: &file)
        for track in written {
            let data = chunkData(track)
            file += Array("MTrk".utf8)
            Self.appendUInt32(data.count, to: &file)
            file += data
        }
        return file
    }

    private enum Item {
        case name(String)
        case tempo(Int)
        case message(MidiMessage)
    }

    private func chunkData(_ track: Track) -> [UInt8] {
        var items: [(tick: Int, rank: Int, item: Item)] = []
        if let name = track.name { items.append((0, 0, .name(name))) }
        items += track.tempoChanges.map { (max($0.tick, 0), 1, .tempo($0.microsecondsPerQuarterNote)) }
        items += track.events.map { (max($0.tick, 0), 2, .message($0.message)) }
        let order = items.indices.sorted { (items[$0].tick, items[$0].rank, $0) < (items[$1].tick, items[$1].rank, $1) }

        var data: [UInt8] = []
        var tick = 0
        var runningStatus: UInt8 = 0
        func appendDelta(to newTick: Int) {
            Self.appendVariableLengthQuantity(min(newTick - tick, 0x0FFF_FFFF), to: &data)
            tick = newTick
        }
        for index in order {
            let (itemTick, _, item) = items[index]
            switch item {
            case let .name(name):
                appendDelta(to: itemTick)
                let text = Array(name.utf8.prefix(0x0FFF_FFFF))
                data += [0xFF, 0x03]
                Self.appendVariableLengthQuantity(text.count, to: &data)
                data += text
                runningStatus = 0
            case let .tempo(microseconds):
                appendDelta(to: itemTick)
                let value = min(max(microseconds, 1), 0xFF_FFFF)
                data += [0xFF, 0x51, 0x03, UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
                runningStatus = 0
            case let .message(message) where message == .systemReset:
                appendDelta(to: itemTick)
                data += [0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7]
                runningStatus = 0
            case let .message(message):
                guard message.status >= 0x80 && message.status < 0xF0 else { continue }
                appendDelta(to: itemTick)
                if !(usesRunningStatus && message.status == runningStatus) { data.append(message.status) }
                runningStatus = message.status
                data.append(message.data1 & 0x7F)
                if message.kind != .programChange && message.kind != .channelPressure {
                    data.append(message.data2 & 0x7F)
                }
            }
        }
        appendDelta(to: max(tick, track.endTick ?? 0))
        data += [0xFF, 0x2F, 0x00]
        return data
    }

    /// Format 0: one track with every track's events and tempo changes; the first name is kept.
    private static func merged(_ tracks: [Track]) -> Track {
        var track = Track(name: tracks.lazy.compactMap(\.name).first)
        for other in tracks {
            track.events += other.events
            track.tempoChanges += other.tempoChanges
            if let end = other.endTick { track.endTick = max(track.endTick ?? 0, end) }
        }
        return track
    }

    private static func appendVariableLengthQuantity(_ value: Int, to data: inout [UInt8]) {
        var groups: [UInt8] = [UInt8(value & 0x7F)]
        var rest = value >> 7
        while rest > 0 {
            groups.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        data += groups.reversed()
    }

    private static func appendUInt16(_ value: Int, to data: inout [UInt8]) {
        data += [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func appendUInt32(_ value: Int, to data: inout [UInt8]) {
        data += [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
