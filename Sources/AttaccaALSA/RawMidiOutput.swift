import AttaccaCore
import CALSA

/// A raw MIDI output port (`hw:VirMIDI,0`, a USB MIDI interface's `hw:1,0`): bytes on the wire,
/// as a keyboard sends them. Writing into snd-virmidi's raw device makes its sequencer client
/// deliver the message like a hardware keyboard's, which is how the loopback measurement plays
/// the part of a real keyboard. Not for the audio thread.
public struct RawMidiOutput: ~Copyable {
    private let handle: OpaquePointer
    public let device: String

    public init(device: String) throws(ALSAError) {
        var opened: OpaquePointer?
        try ALSAError.check(snd_rawmidi_open(nil, &opened, device, 0), "snd_rawmidi_open",
                            "cannot open raw MIDI device '\(device)'")
        guard let handle = opened else { throw ALSAError(code: -19, call: "snd_rawmidi_open") }
        self.handle = handle
        self.device = device
    }

    deinit { snd_rawmidi_close(handle) }

    /// Writes `message` (its status byte and the data bytes its kind takes) and waits until the
    /// bytes have left. Returns 0 or a negative errno.
    @discardableResult
    public func send(_ message: MidiMessage) -> Int32 {
        var bytes: (UInt8, UInt8, UInt8) = (message.status, message.data1 & 0x7F, message.data2 & 0x7F)
        let count = Self.length(of: message)
        let written = withUnsafeBytes(of: &bytes) { snd_rawmidi_write(handle, $0.baseAddress, count) }
        if written < 0 { return Int32(truncatingIfNeeded: written) }
        return min(snd_rawmidi_drain(handle), 0)
    }

    /// Bytes on the wire for `message`: program change and channel pressure take one data byte.
    public static func length(of message: MidiMessage) -> Int {
        switch message.status & 0xF0 {
        case 0xC0, 0xD0: 2
        case 0xF0: 1
        default: 3
        }
    }
}
