/// One short MIDI message: a channel voice message, `systemReset`, or a two-byte piece of a
/// system exclusive message (`sysex(_:)`). Three bytes and no references, so it can cross to the
/// audio thread by value.
@frozen
public struct MidiMessage: Equatable, Hashable, Sendable {
    public var status: UInt8
    public var data1: UInt8
    public var data2: UInt8

    @inlinable
    public init(status: UInt8, data1: UInt8 = 0, data2: UInt8 = 0) {
        self.status = status
        self.data1 = data1
        self.data2 = data2
    }

    /// The kind of message, from the status byte's high nibble.
    @frozen
    public enum Kind: UInt8, Sendable {
        case noteOff = 0x80
        case noteOn = 0x90
        case polyphonicPressure = 0xA0
        case controlChange = 0xB0
        case programChange = 0xC0
        case channelPressure = 0xD0
        case pitchBend = 0xE0
        case system = 0xF0
    }

    @inlinable public var kind: Kind { Kind(rawValue: status & 0xF0)! }
    /// The channel, 0...15 (meaningless for `system`).
    @inlinable public var channel: Int { Int(status & 0x0F) }
    /// Pitch bend value, 0...16383, centre 8192.
    @inlinable public var pitchBendValue: Int { Int(data1 & 0x7F) | Int(data2 & 0x7F) << 7 }

    @inlinable public static func noteOn(channel: Int, key: Int, velocity: Int) -> MidiMessage {
        MidiMessage(status: 0x90 | UInt8(channel & 15), data1: UInt8(key & 127), data2: UInt8(velocity & 127))
    }
    @inlinable public static func noteOff(channel: Int, key: Int, velocity: Int = 0) -> MidiMessage {
        MidiMessage(status: 0x80 | UInt8(channel & 15), data1: UInt8(key & 127), data2: UInt8(velocity & 127))
    }
    @inlinable public static func controlChange(channel: Int, controller: Int, value: Int) -> MidiMessage {
        MidiMessage(status: 0xB0 | UInt8(channel & 15), data1: UInt8(controller & 127), data2: UInt8(value & 127))
    }
    @inlinable public static func programChange(channel: Int, program: Int) -> MidiMessage {
        MidiMessage(status: 0xC0 | UInt8(channel & 15), data1: UInt8(program & 127))
    }
    @inlinable public static func channelPressure(channel: Int, value: Int) -> MidiMessage {
        MidiMessage(status: 0xD0 | UInt8(channel & 15), data1: UInt8(value & 127))
    }
    @inlinable public static func polyphonicPressure(channel: Int, key: Int, value: Int) -> MidiMessage {
        MidiMessage(status: 0xA0 | UInt8(channel & 15), data1: UInt8(key & 127), data2: UInt8(value & 127))
    }
    /// `value` is 0...16383, 8192 is centre.
    @inlinable public static func pitchBend(channel: Int, value: Int) -> MidiMessage {
        MidiMessage(status: 0xE0 | UInt8(channel & 15), data1: UInt8(value & 127), data2: UInt8((value >> 7) & 127))
    }
    /// Resets every channel to its power-on state (MIDI System Reset).
    public static let systemReset = MidiMessage(status: 0xFF)

    /// System exclusive bytes as a run of messages with status F0, each carrying two of them in
    /// order (the last padded with FF, a real-time byte, which a sysex stream may hold and the
    /// engines skip), so any length crosses to the audio thread as fixed-size
    /// messages. The engine reads them as a byte stream: F0 begins a message, F7 ends it and the
    /// engine acts on it (gathered in a preallocated buffer), bytes after no F0 continue the
    /// message being received (a long sysex split in several events). Pass a whole message as
    /// F0 ... F7. Allocates: call it off the audio thread (file reading, MIDI input).
    public static func sysex<C: Collection>(_ bytes: C) -> [MidiMessage] where C.Element == UInt8 {
        var all = Array(bytes)
        if all.count % 2 == 1 { all.append(0xFF) }
        return stride(from: 0, to: all.count, by: 2).map { MidiMessage(status: 0xF0, data1: all[$0], data2: all[$0 + 1]) }
    }

    /// A piece of a system exclusive message (`sysex(_:)`).
    @inlinable public var isSysexPiece: Bool { status == 0xF0 }
}
