/// Recognizes the sysex messages that reset a sound module to its power-on state, so a file's
/// GM System On (or GS/XG equivalent) reaches the engine as `MidiMessage.systemReset`.
/// Any device ID is accepted, as modules accept their own ID and the broadcast ID.
enum SystemResetSysex {
    /// `body` is the message after F0, ending with the F7 that closes it.
    static func isReset<Body: BidirectionalCollection>(_ body: Body) -> Bool where Body.Element == UInt8 {
        guard body.last == 0xF7, body.count <= 10 else { return false }
        let data = Array(body.dropLast())
        func matches(_ pattern: [UInt8?]) -> Bool {
            data.count == pattern.count && zip(data, pattern).allSatisfy { $1 == nil || $0 == $1 }
        }
        // Universal non-real-time, sub-ID 09 (General MIDI): 01 = GM System On, 03 = GM2 System On.
        if matches([0x7E, nil, 0x09, 0x01]) || matches([0x7E, nil, 0x09, 0x03]) { return true }
        // Roland GS Reset: DT1 to address 40 00 7F, value 00, checksum 41.
        if matches([0x41, nil, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41]) { return true }
        // Yamaha XG System On: parameter change (1n) to address 00 00 7E, value 00.
        if matches([0x43, nil, 0x4C, 0x00, 0x00, 0x7E, 0x00]) && data[1] & 0xF0 == 0x10 { return true }
        return false
    }
}
