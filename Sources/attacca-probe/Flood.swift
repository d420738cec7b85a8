import AttaccaAssets
import CALSA
import Glibc

/// Sends a steady stream of note-ons and note-offs in random order across 16 channels to a
/// sequencer port, `rate` events per second for `seconds` seconds, paced on CLOCK_MONOTONIC
/// (virtual time in the VM), then releases every note still held. Each event goes out with
/// its own write (direct, unqueued), so a refused event is counted where it was refused
/// (`refused` counts every refused write, retries of note-offs included).
/// Prints key=value lines: sent, refused, note_ons, note_offs, programs, final_offs, late_ms_max.
func runFlood(destination: String, rate: Int, seconds: Int, maxHeld: Int, program: Int, seed: UInt64) -> Never {
    guard rate > 0, seconds > 0, maxHeld > 0, (0...127).contains(program) else {
        fail("flood: --rate, --seconds and --max-held must be positive, --program 0...127")
    }
    var handle: OpaquePointer?
    if snd_seq_open(&handle, "default", Int32(SND_SEQ_OPEN_OUTPUT), 0) < 0 || handle == nil {
        fail("flood: cannot open the ALSA sequencer")
    }
    let seq = handle!
    snd_seq_set_client_name(seq, "attacca-probe flood")
    let port = snd_seq_create_simple_port(seq, "flood", UInt32(SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ),
                                          UInt32(SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_APPLICATION))
    guard port >= 0 else { fail("flood: cannot create a sequencer port") }
    var target = snd_seq_addr_t()
    guard snd_seq_parse_address(seq, &target, destination) >= 0 else { fail("flood: no sequencer port '\(destination)'") }

    var sent = 0, refused = 0, noteOns = 0, noteOffs = 0, programs = 0, finalOffs = 0
    func send(_ type: snd_seq_event_type, channel: Int, key: Int, velocity: Int) -> Bool {
        var event = snd_seq_event_t()
        attacca_seq_ev_clear(&event)
        attacca_seq_ev_set_source(&event, port)
        attacca_seq_ev_set_dest(&event, Int32(target.client), Int32(target.port))
        event.queue = UInt8(SND_SEQ_QUEUE_DIRECT)
        event.type = UInt8(type.rawValue)
        if type == SND_SEQ_EVENT_PGMCHANGE {
            event.data.control.channel = UInt8(channel); event.data.control.value = Int32(key)
        } else {
            event.data.note.channel = UInt8(channel); event.data.note.note = UInt8(key); event.data.note.velocity = UInt8(velocity)
        }
        if snd_seq_event_output_direct(seq, &event) < 0 { refused += 1; return false }
        sent += 1
        return true
    }
    /// A note-off the kernel refused (the receiver's queue full) is sent again 1 ms later, up to
    /// a second: a lost note-off would leave a stuck note that is not the receiver's fault.
    func release(_ note: Int) -> Bool {
        for _ in 0..<1000 {
            if send(SND_SEQ_EVENT_NOTEOFF, channel: note >> 7, key: note & 127, velocity: 0) { return true }
            var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&pause, nil)
        }
        return false
    }
    // A sustained sound on every melodic channel, so a note left on is heard until the end.
    for channel in 0..<16 where channel != 9 && send(SND_SEQ_EVENT_PGMCHANGE, channel: channel, key: program, velocity: 0) {
        programs += 1
    }

    var random = SeededRandom(seed: seed)
    func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
    var held: [Int] = []                               // channel << 7 | key
    var isHeld = [Bool](repeating: false, count: 16 * 128)
    let total = rate * seconds
    let batch = max(1, rate / 1000)                    // events per 1 ms tick (20 at 20,000/s)
    let tick = Int64(1_000_000_000) * Int64(batch) / Int64(rate)
    let start = nanoseconds() + 10_000_000
    var lateMax: Int64 = 0
    var index = 0
    while index < total {
        let due = start + Int64(index / batch) * tick
        var wake = timespec(tv_sec: Int(due / 1_000_000_000), tv_nsec: Int(due % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, nil) == EINTR {}
        lateMax = max(lateMax, nanoseconds() - due)
        for _ in 0..<min(batch, total - index) {
            if !held.isEmpty && (held.count >= maxHeld || random.next() & 1 == 0) {
                let slot = pick(held.count)
                let note = held[slot]
                held.swapAt(slot, held.count - 1); held.removeLast()
                isHeld[note] = false
                if release(note) { noteOffs += 1 }
            } else {
                var note: Int
                repeat { note = pick(16) << 7 | (36 + pick(61)) } while isHeld[note]
                held.append(note); isHeld[note] = true
                if send(SND_SEQ_EVENT_NOTEON, channel: note >> 7, key: note & 127, velocity: 40 + pick(88)) { noteOns += 1 }
            }
            index += 1
        }
    }
    for note in held where release(note) { finalOffs += 1 }
    snd_seq_close(seq)
    print("sent=\(sent)")
    print("refused=\(refused)")
    print("note_ons=\(noteOns)")
    print("note_offs=\(noteOffs)")
    print("programs=\(programs)")
    print("final_offs=\(finalOffs)")
    print("late_ms_max=\(fmt(Double(lateMax) / 1e6, 3))")
    exit(0)
}

private func nanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
