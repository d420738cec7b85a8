import Glibc

/// Writes a format-0 MIDI file at 120 bpm, 480 ticks per quarter note (1 tick = 1/960 s).
///  - melody: 12 single notes, 0.25 s apart, each held 0.2 s, all different pitches (piano),
///    the first `leadMilliseconds` after the start.
///  - dense: church organ on 8 channels; every 0.1 s four new notes held 4 s, so about 160
///    notes sound at once for `seconds` seconds (more than 128 voices).
func writeTestMidi(kind: String, path: String, seconds: Int, leadMilliseconds: Int = 500) {
    var events: [(tick: Int, bytes: [UInt8])] = []
    let ticksPerSecond = 960
    switch kind {
    case "melody":
        let keys: [UInt8] = [60, 64, 67, 72, 71, 69, 65, 62, 57, 59, 76, 55]
        for (i, key) in keys.enumerated() {
            let start = leadMilliseconds * ticksPerSecond / 1000 + i * ticksPerSecond / 4
            events.append((start, [0x90, key, 100]))
            events.append((start + ticksPerSecond / 5, [0x80, key, 0]))
        }
    case "dense":
        for channel in UInt8(0)..<8 { events.append((0, [0xC0 | channel, 19])) }
        let steps = seconds * 10
        for step in 0..<steps {
            let start = 96 + step * ticksPerSecond / 10
            let end = min(start + 4 * ticksPerSecond, 96 + steps * ticksPerSecond / 10)
            for n in 0..<4 {
                let i = step * 4 + n
                let channel = UInt8(i % 8)
                let key = UInt8(36 + (i * 7) % 60)
                events.append((start, [0x90 | channel, key, 90]))
                events.append((end, [0x80 | channel, key, 0]))
            }
        }
    default:
        fail("unknown MIDI kind '\(kind)' (melody or dense)")
    }
    // Note-offs first at equal ticks, so a re-struck key is released before it sounds again.
    events.sort { $0.tick != $1.tick ? $0.tick < $1.tick : ($0.bytes[0] & 0xF0) < ($1.bytes[0] & 0xF0) }

    var track: [UInt8] = [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20]   // tempo 500000 µs per quarter
    var last = 0
    for event in events {
        track += variableLength(event.tick - last) + event.bytes
        last = event.tick
    }
    track += [0x00, 0xFF, 0x2F, 0x00]
    var file: [UInt8] = Array("MThd".utf8) + be32(6) + [0, 0, 0, 1, 0x01, 0xE0]
    file += Array("MTrk".utf8) + be32(track.count) + track
    guard let handle = fopen(path, "wb"), fwrite(file, 1, file.count, handle) == file.count else {
        fail("cannot write \(path)")
    }
    fclose(handle)
}

private func be32(_ value: Int) -> [UInt8] {
    [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

private func variableLength(_ value: Int) -> [UInt8] {
    var bytes = [UInt8(value & 0x7F)]
    var rest = value >> 7
    while rest > 0 {
        bytes.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
        rest >>= 7
    }
    return bytes
}
