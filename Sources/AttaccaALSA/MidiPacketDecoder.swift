import AttaccaCore

/// Turns one MIDI packet's bytes (a JACK MIDI event, a PipeWire control) into Attacca's fixed-size messages, on the process
/// callback: no allocation, written in order into a buffer allocated up front. Channel messages, system
/// reset, and system exclusive (as the two-byte pieces `MidiMessage.sysex` makes); other
/// system messages (clock, active sensing) and malformed bytes are skipped.
public enum MidiPacketDecoder {
    /// Writes the messages in `bytes[0..<size]` to `out` (at most `room`); returns how many it
    /// wrote and how many found no room.
    @inlinable @inline(__always) @_noLocks
    public static func decode(_ bytes: UnsafePointer<UInt8>, size: Int, into out: UnsafeMutablePointer<MidiMessage>,
                              room: Int) -> (written: Int, dropped: Int) {
        guard size > 0 else { return (0, 0) }
        let status = bytes[0]
        switch status {
        case 0x80...0xEF:
            let kind = status & 0xF0
            let length = (kind == 0xC0 || kind == 0xD0) ? 2 : 3
            guard size >= length else { return (0, 0) }
            guard room > 0 else { return (0, 1) }
            out[0] = MidiMessage(status: status, data1: bytes[1] & 0x7F, data2: length == 3 ? bytes[2] & 0x7F : 0)
            return (1, 0)
        case 0xFF:
            guard room > 0 else { return (0, 1) }
            out[0] = MidiMessage(status: 0xFF)
            return (1, 0)
        case 0xF0:
            var written = 0
            var dropped = 0
            var index = 0
            while index < size {
                let second: UInt8 = index + 1 < size ? bytes[index + 1] : 0xFF
                if written < room {
                    out[written] = MidiMessage(status: 0xF0, data1: bytes[index], data2: second)
                    written += 1
                } else {
                    dropped += 1
                }
                index += 2
            }
            return (written, dropped)
        default:
            return (0, 0)
        }
    }
}
