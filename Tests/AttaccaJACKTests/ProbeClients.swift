import CJack
import Foundation
import Synchronization

/// The test's side of the graph, two JACK clients in this process: `probe-send` with a MIDI
/// output that writes one message at a chosen frame offset of a cycle when asked, and
/// `probe-record` with an input that records what reaches it, each cycle's frame time kept so
/// an onset can be set against the frame the message was sent at. Two clients, not one, so
/// the graph runs send → attacca → record in a single cycle (one client both feeding and fed
/// by attacca would be a feedback loop, one side a cycle late).
final class ProbeClients {
    let sender: OpaquePointer
    let recorder: OpaquePointer
    let midiOut: OpaquePointer
    let input: OpaquePointer
    /// The message's bytes and the frame offset it goes at (set before each send).
    let message = UnsafeMutablePointer<UInt8>.allocate(capacity: 3)
    let offset = Atomic<UInt32>(0)
    /// Sends asked for and sends done; the frame time (cycle start + offset) of the last send.
    let requested = Atomic<Int>(0)
    let sent = Atomic<Int>(0)
    let sentFrame = Atomic<Int>(0)
    /// Recording: on or off, frames recorded, the frame time of the first one.
    let recording = Atomic<Bool>(false)
    let recorded = Atomic<Int>(0)
    let recordStartFrame = Atomic<Int>(0)
    let capacity: Int
    let samples: UnsafeMutablePointer<Float>

    init(server: String, offset: UInt32, recordFrames: Int) throws {
        var status = JackStatus(rawValue: 0)
        guard let sender = attacca_jack_client_open("probe-send", &status, server),
              let recorder = attacca_jack_client_open("probe-record", &status, server) else {
            throw TestJACKError("cannot open the probe clients on \(server) (status 0x\(String(status.rawValue, radix: 16)))")
        }
        self.sender = sender
        self.recorder = recorder
        guard let midiOut = jack_port_register(sender, "midi_out", attacca_jack_midi_type(), UInt(JackPortIsOutput.rawValue), 0),
              let input = jack_port_register(recorder, "in", attacca_jack_audio_type(), UInt(JackPortIsInput.rawValue), 0) else {
            throw TestJACKError("cannot register the probe ports")
        }
        self.midiOut = midiOut
        self.input = input
        self.offset.store(offset, ordering: .relaxed)
        capacity = recordFrames
        samples = .allocate(capacity: recordFrames)
        samples.initialize(repeating: 0, count: recordFrames)
        let argument = Unmanaged.passUnretained(self).toOpaque()
        jack_set_process_callback(sender, { frames, argument in
            Unmanaged<ProbeClients>.fromOpaque(argument!).takeUnretainedValue().send(frames: frames)
            return 0
        }, argument)
        jack_set_process_callback(recorder, { frames, argument in
            Unmanaged<ProbeClients>.fromOpaque(argument!).takeUnretainedValue().record(frames: frames)
            return 0
        }, argument)
        guard jack_activate(sender) == 0, jack_activate(recorder) == 0 else { throw TestJACKError("cannot activate the probe clients") }
    }

    /// Deactivates and closes both clients (before the server goes, or after it went).
    func close() {
        jack_client_close(sender)
        jack_client_close(recorder)
    }

    deinit {
        message.deallocate()
        samples.deallocate()
    }

    /// Connects, retrying for up to 5 s: a client's ports exist before it is active, and JACK
    /// refuses to connect an inactive client's.
    func connect(_ source: String, _ destination: String) throws {
        let deadline = Date().addingTimeInterval(5)
        while true {
            let code = jack_connect(sender, source, destination)
            if code == 0 || code == EEXIST { return }
            guard Date() < deadline else { throw TestJACKError("cannot connect \(source) to \(destination) (\(code))") }
            usleep(20_000)
        }
    }

    func hasPort(_ name: String) -> Bool { jack_port_by_name(sender, name) != nil }

    private func send(frames: UInt32) {
        guard let buffer = jack_port_get_buffer(midiOut, frames) else { return }
        jack_midi_clear_buffer(buffer)
        guard requested.load(ordering: .acquiring) > sent.load(ordering: .relaxed) else { return }
        let offset = self.offset.load(ordering: .relaxed)
        if jack_midi_event_write(buffer, offset, message, 3) == 0 {
            sentFrame.store(Int(jack_last_frame_time(sender)) + Int(offset), ordering: .relaxed)
        }
        sent.add(1, ordering: .releasing)
    }

    private func record(frames: UInt32) {
        guard recording.load(ordering: .acquiring), let buffer = jack_port_get_buffer(input, frames) else { return }
        let done = recorded.load(ordering: .relaxed)
        guard done < capacity else { return }
        if done == 0 { recordStartFrame.store(Int(jack_last_frame_time(recorder)), ordering: .relaxed) }
        let count = min(Int(frames), capacity - done)
        (samples + done).update(from: buffer.assumingMemoryBound(to: Float.self), count: count)
        recorded.store(done + count, ordering: .releasing)
    }

    /// Records, then sends `bytes` once recording runs, and waits until the recording is full.
    /// Returns the samples and the sent message's frame as an index into them.
    func sendAndRecord(_ bytes: [UInt8], at offset: UInt32? = nil, timeout: TimeInterval = 10) throws -> (samples: [Float], sentIndex: Int) {
        for (index, byte) in bytes.prefix(3).enumerated() { message[index] = byte }
        if let offset { self.offset.store(offset, ordering: .relaxed) }
        recorded.store(0, ordering: .releasing)
        recording.store(true, ordering: .releasing)
        let deadline = Date().addingTimeInterval(timeout)
        while recorded.load(ordering: .acquiring) == 0 {
            guard Date() < deadline else { throw TestJACKError("the recorder never ran") }
            usleep(1000)
        }
        let before = sent.load(ordering: .acquiring)
        requested.store(before + 1, ordering: .releasing)
        while recorded.load(ordering: .acquiring) < capacity || sent.load(ordering: .acquiring) == before {
            guard Date() < deadline else { throw TestJACKError("the recording did not fill in \(timeout) s") }
            usleep(5000)
        }
        recording.store(false, ordering: .releasing)
        let copy = Array(UnsafeBufferPointer(start: samples, count: capacity))
        return (copy, sentFrame.load(ordering: .acquiring) - recordStartFrame.load(ordering: .acquiring))
    }
}
