import AttaccaCore
import CALSA
import Glibc

/// Attacca's ALSA sequencer client: a client named `Attacca` with one input port,
/// "Attacca input" (WRITE and SUBS_WRITE, so `aconnect` and every MIDI tool can reach it),
/// stamped in real time on Attacca's own queue. Connects to named ports, to every hardware
/// MIDI source, and, watching the System Announce port, to keyboards plugged in later
/// (or unplugged and plugged back).
public struct Sequencer: ~Copyable, @unchecked Sendable {
    private let handle: OpaquePointer
    /// Attacca's input port.
    public let address: SequencerAddress
    private let queue: Int32
    /// Events the kernel dropped because Attacca read too slowly (`-ENOSPC`).
    public private(set) var overruns = 0

    public init(clientName: String = "Attacca", portName: String = "Attacca input") throws(ALSAError) {
        var opened: OpaquePointer?
        try ALSAError.check(snd_seq_open(&opened, "default", Int32(SND_SEQ_OPEN_DUPLEX), Int32(SND_SEQ_NONBLOCK)),
                            "snd_seq_open", "cannot open the ALSA sequencer")
        guard let handle = opened else { throw ALSAError(code: -ENODEV, call: "snd_seq_open") }
        do {
            try ALSAError.check(snd_seq_set_client_name(handle, clientName), "snd_seq_set_client_name")
            let queue = try ALSAError.check(snd_seq_alloc_named_queue(handle, clientName), "snd_seq_alloc_named_queue")
            var info: OpaquePointer?
            try ALSAError.check(snd_seq_port_info_malloc(&info), "snd_seq_port_info_malloc")
            defer { snd_seq_port_info_free(info) }
            snd_seq_port_info_set_name(info, portName)
            snd_seq_port_info_set_capability(info, UInt32(SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE))
            snd_seq_port_info_set_type(info, UInt32(SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_SYNTHESIZER | SND_SEQ_PORT_TYPE_APPLICATION))
            snd_seq_port_info_set_midi_channels(info, 16)
            snd_seq_port_info_set_timestamping(info, 1)
            snd_seq_port_info_set_timestamp_real(info, 1)
            snd_seq_port_info_set_timestamp_queue(info, queue)
            try ALSAError.check(snd_seq_create_port(handle, info), "snd_seq_create_port", "cannot create the sequencer port '\(portName)'")
            let port = snd_seq_port_info_get_port(info)
            try ALSAError.check(attacca_seq_start_queue(handle, queue), "snd_seq_start_queue")
            _ = snd_seq_drain_output(handle)
            self.queue = queue
            self.address = SequencerAddress(client: Int(snd_seq_client_id(handle)), port: Int(port))
        } catch {
            snd_seq_close(handle)
            throw error
        }
        self.handle = handle
    }

    deinit { snd_seq_close(handle) }

    // MARK: Connections

    /// Subscribes Attacca's port to `source`: `20:0`, `20`, a client name (`"MPK mini"`) or
    /// `"name:port"`, as `aconnect` accepts. Returns the address connected.
    @discardableResult
    public func connect(from source: String) throws(ALSAError) -> SequencerAddress {
        var parsed = snd_seq_addr_t()
        try ALSAError.check(snd_seq_parse_address(handle, &parsed, source), "snd_seq_parse_address",
                            "no sequencer port '\(source)' (see 'attacca devices')")
        let from = SequencerAddress(client: Int(parsed.client), port: Int(parsed.port))
        try connect(from: from)
        return from
    }

    public func connect(from source: SequencerAddress) throws(ALSAError) {
        let code = snd_seq_connect_from(handle, Int32(address.port), Int32(source.client), Int32(source.port))
        if code == -EBUSY { return }  // already connected
        try ALSAError.check(code, "snd_seq_connect_from", "cannot connect sequencer port \(source) to Attacca")
    }

    /// Connects every hardware MIDI source not yet connected; returns those it connected.
    @discardableResult
    public func connectHardwareSources() -> [SequencerAddress] {
        var connected: [SequencerAddress] = []
        for port in ports() where port.isHardware && port.isSource {
            if (try? connect(from: port.address)) != nil { connected.append(port.address) }
        }
        return connected
    }

    /// Starts receiving the System Announce port's events, so `receive` can connect
    /// keyboards plugged in later.
    public func watchAnnouncements() throws(ALSAError) {
        try connect(from: .systemAnnounce)
    }

    /// Every port of every other client.
    public func ports() -> [SequencerPort] {
        var result: [SequencerPort] = []
        var client: OpaquePointer?
        var port: OpaquePointer?
        guard snd_seq_client_info_malloc(&client) >= 0, snd_seq_port_info_malloc(&port) >= 0 else { return [] }
        defer {
            snd_seq_client_info_free(client)
            snd_seq_port_info_free(port)
        }
        snd_seq_client_info_set_client(client, -1)
        while snd_seq_query_next_client(handle, client) >= 0 {
            let clientID = snd_seq_client_info_get_client(client)
            if clientID == Int32(SND_SEQ_CLIENT_SYSTEM) || Int(clientID) == address.client { continue }
            let clientName = String(cString: snd_seq_client_info_get_name(client))
            snd_seq_port_info_set_client(port, clientID)
            snd_seq_port_info_set_port(port, -1)
            while snd_seq_query_next_port(handle, port) >= 0 {
                result.append(Self.describe(port!, clientName: clientName, cardBound: Self.isCardBound(client!)))
            }
        }
        return result
    }

    /// A kernel client that belongs to a sound card: USB keyboards, MIDI interfaces, and
    /// snd-virmidi's ports (whose port type says SOFTWARE); not "Midi Through" (no card).
    private static func isCardBound(_ client: OpaquePointer) -> Bool {
        snd_seq_client_info_get_type(client) == SND_SEQ_KERNEL_CLIENT && snd_seq_client_info_get_card(client) >= 0
    }

    private static func describe(_ port: OpaquePointer, clientName: String, cardBound: Bool) -> SequencerPort {
        let capability = Int32(bitPattern: snd_seq_port_info_get_capability(port))
        let type = Int32(bitPattern: snd_seq_port_info_get_type(port))
        let source = Int32(SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ)
        let exported = capability & Int32(SND_SEQ_PORT_CAP_NO_EXPORT) == 0
        let addressPointer = snd_seq_port_info_get_addr(port)!
        return SequencerPort(
            address: SequencerAddress(client: Int(addressPointer.pointee.client), port: Int(addressPointer.pointee.port)),
            clientName: clientName, portName: String(cString: snd_seq_port_info_get_name(port)),
            isHardware: (type & Int32(SND_SEQ_PORT_TYPE_HARDWARE) != 0 || cardBound) && exported,
            isSource: capability & source == source && exported)
    }

    // MARK: Input

    /// Waits up to `timeoutMilliseconds` for input, then hands every message that arrived
    /// to `handler`. With `autoConnect`, a hardware port announced as started is connected
    /// (and `connected` is told). Sources going away (the subscription to Attacca's port
    /// removed, a port or client exiting; needs `watchAnnouncements()`) are told to `departed`,
    /// in order with the messages, so the caller can release what they held. Nothing slow
    /// stands between reading an event and handing it on: a note held up there can miss the
    /// audio thread's next drain and be heard a period late.
    public mutating func receive(timeoutMilliseconds: Int32, autoConnect: Bool,
                                 connected: (SequencerAddress) -> Void = { _ in },
                                 departed: (SequencerDeparture) -> Void = { _ in },
                                 _ handler: (SequencerInput) -> Void) {
        var descriptors = [pollfd](repeating: pollfd(), count: Int(snd_seq_poll_descriptors_count(handle, Int16(POLLIN))))
        let count = snd_seq_poll_descriptors(handle, &descriptors, UInt32(descriptors.count), Int16(POLLIN))
        // Read before the wait (an ioctl): the mapping does not drift measurably in 10 ms.
        let queueOffset = queueClockOffset()
        if snd_seq_event_input_pending(handle, 0) == 0 {
            _ = poll(&descriptors, nfds_t(count), timeoutMilliseconds)
        }
        while true {
            var event: UnsafeMutablePointer<snd_seq_event_t>?
            let code = snd_seq_event_input(handle, &event)
            let arrival = MonotonicClock.now()
            if code == -ENOSPC {
                overruns += 1
                continue
            }
            guard code >= 0, let event else { break }
            let value = event.pointee
            let source = SequencerAddress(client: Int(value.source.client), port: Int(value.source.port))
            if UInt32(value.type) == SND_SEQ_EVENT_PORT_START.rawValue {
                if autoConnect { connectIfHardwareSource(value.data.addr, connected) }
                continue
            }
            if let departure = SequencerEvent.departure(of: value, into: address) {
                departed(departure)
                continue
            }
            let messages = SequencerEvent.messages(of: value)
            guard !messages.isEmpty else { continue }
            var queueTime: Int64?
            var sourceTime: Int64?
            if Int32(value.flags) & Int32(SND_SEQ_TIME_STAMP_MASK) == Int32(SND_SEQ_TIME_STAMP_REAL) && Int32(value.queue) == queue {
                let time = Int64(value.time.time.tv_sec) * 1_000_000_000 + Int64(value.time.time.tv_nsec)
                queueTime = time
                if let queueOffset { sourceTime = time + queueOffset }
            }
            for message in messages {
                handler(SequencerInput(message: message, arrivalNanoseconds: arrival, queueNanoseconds: queueTime,
                                       sourceNanoseconds: sourceTime, source: source))
            }
        }
    }

    /// CLOCK_MONOTONIC minus the queue's real time, read together now: maps the kernel's
    /// delivery stamps onto the clock the rest of Attacca uses. Read once per `receive`, so
    /// the queue timer's drift never accumulates. nil when the queue cannot be read.
    private func queueClockOffset() -> Int64? {
        let before = MonotonicClock.now()
        guard let queueTime = queueNanoseconds() else { return nil }
        let after = MonotonicClock.now()
        return before + (after - before) / 2 - queueTime
    }

    /// The real time of Attacca's queue now, in nanoseconds since it started; nil when the
    /// queue cannot be read.
    public func queueNanoseconds() -> Int64? {
        var status: OpaquePointer?
        guard snd_seq_queue_status_malloc(&status) >= 0, let status else { return nil }
        defer { snd_seq_queue_status_free(status) }
        guard snd_seq_get_queue_status(handle, queue, status) >= 0,
              let time = snd_seq_queue_status_get_real_time(status) else { return nil }
        return Int64(time.pointee.tv_sec) * 1_000_000_000 + Int64(time.pointee.tv_nsec)
    }

    private func connectIfHardwareSource(_ announced: snd_seq_addr_t, _ connected: (SequencerAddress) -> Void) {
        var port: OpaquePointer?
        guard snd_seq_port_info_malloc(&port) >= 0, let port else { return }
        defer { snd_seq_port_info_free(port) }
        guard snd_seq_get_any_port_info(handle, Int32(announced.client), Int32(announced.port), port) >= 0 else { return }
        var client: OpaquePointer?
        guard snd_seq_client_info_malloc(&client) >= 0, let client else { return }
        defer { snd_seq_client_info_free(client) }
        guard snd_seq_get_any_client_info(handle, Int32(announced.client), client) >= 0 else { return }
        let info = Self.describe(port, clientName: "", cardBound: Self.isCardBound(client))
        guard info.isHardware, info.isSource, info.address.client != address.client else { return }
        if (try? connect(from: info.address)) != nil { connected(info.address) }
    }

    // MARK: Output to itself

    /// Schedules `message` on Attacca's queue, to be delivered to its own input port when the
    /// queue's real time reaches `queueNanoseconds` (see `queueNanoseconds()`): a MIDI file then
    /// travels the path of live input, timed by the kernel as `aplaymidi` times it. Returns 0,
    /// `-EAGAIN` when the kernel's pool of scheduled events is full (send it again later), or
    /// another negative errno.
    public func scheduleToSelf(_ message: MidiMessage, atQueueNanoseconds queueNanoseconds: Int64) -> Int32 {
        schedule(message, to: address, atQueueNanoseconds: queueNanoseconds)
    }

    /// Schedules `message` on Attacca's queue for `destination`, delivered by the kernel when the
    /// queue's real time reaches `queueNanoseconds`: how a sequencer player (`aplaymidi`) sends.
    /// Returns 0, `-EAGAIN` when the pool of scheduled events is full, or another negative errno.
    public func schedule(_ message: MidiMessage, to destination: SequencerAddress, atQueueNanoseconds queueNanoseconds: Int64) -> Int32 {
        var event = Self.event(message, from: address.port, to: destination)
        let time = max(queueNanoseconds, 0)
        attacca_seq_ev_schedule_real(&event, queue, UInt32(time / 1_000_000_000), UInt32(time % 1_000_000_000))
        return min(snd_seq_event_output_direct(handle, &event), 0)
    }

    /// Schedules a whole system exclusive message (`bytes`, F0 to F7) to Attacca's own port, as
    /// one variable-length sysex event (it comes back as `MidiMessage.sysex` pieces).
    public func scheduleSysexToSelf(_ bytes: [UInt8], atQueueNanoseconds queueNanoseconds: Int64) -> Int32 {
        var event = snd_seq_event_t()
        attacca_seq_ev_clear(&event)
        event.source.port = UInt8(address.port)
        attacca_seq_ev_set_dest(&event, Int32(address.client), Int32(address.port))
        var copy = bytes
        return copy.withUnsafeMutableBytes { raw in
            attacca_seq_ev_set_sysex(&event, UInt32(raw.count), raw.baseAddress)
            let time = max(queueNanoseconds, 0)
            attacca_seq_ev_schedule_real(&event, queue, UInt32(time / 1_000_000_000), UInt32(time % 1_000_000_000))
            return min(snd_seq_event_output_direct(handle, &event), 0)
        }
    }

    /// The address of a port named as `aconnect` takes it (`20:0`, a client name, `name:port`).
    public func resolve(_ port: String) throws(ALSAError) -> SequencerAddress {
        var parsed = snd_seq_addr_t()
        try ALSAError.check(snd_seq_parse_address(handle, &parsed, port), "snd_seq_parse_address",
                            "no sequencer port '\(port)' (see 'attacca devices')")
        return SequencerAddress(client: Int(parsed.client), port: Int(parsed.port))
    }

    /// Sends `message` straight to `destination` (no queue, no subscription), from Attacca's port.
    public func send(_ message: MidiMessage, to destination: SequencerAddress) -> Int32 {
        var event = Self.event(message, from: address.port, to: destination)
        event.queue = UInt8(SND_SEQ_QUEUE_DIRECT)
        return snd_seq_event_output_direct(handle, &event)
    }

    /// The sequencer event for `message`, from port `port` of this client to `destination`.
    private static func event(_ message: MidiMessage, from port: Int, to destination: SequencerAddress) -> snd_seq_event_t {
        var event = snd_seq_event_t()
        attacca_seq_ev_clear(&event)
        event.source.port = UInt8(port)
        attacca_seq_ev_set_dest(&event, Int32(destination.client), Int32(destination.port))
        let channel = UInt8(message.channel)
        switch message.kind {
        case .noteOn:
            event.type = UInt8(SND_SEQ_EVENT_NOTEON.rawValue)
            event.data.note.channel = channel; event.data.note.note = message.data1; event.data.note.velocity = message.data2
        case .noteOff:
            event.type = UInt8(SND_SEQ_EVENT_NOTEOFF.rawValue)
            event.data.note.channel = channel; event.data.note.note = message.data1; event.data.note.off_velocity = message.data2
        case .polyphonicPressure:
            event.type = UInt8(SND_SEQ_EVENT_KEYPRESS.rawValue)
            event.data.note.channel = channel; event.data.note.note = message.data1; event.data.note.velocity = message.data2
        case .controlChange:
            event.type = UInt8(SND_SEQ_EVENT_CONTROLLER.rawValue)
            event.data.control.channel = channel; event.data.control.param = UInt32(message.data1); event.data.control.value = Int32(message.data2)
        case .programChange:
            event.type = UInt8(SND_SEQ_EVENT_PGMCHANGE.rawValue)
            event.data.control.channel = channel; event.data.control.value = Int32(message.data1)
        case .channelPressure:
            event.type = UInt8(SND_SEQ_EVENT_CHANPRESS.rawValue)
            event.data.control.channel = channel; event.data.control.value = Int32(message.data1)
        case .pitchBend:
            event.type = UInt8(SND_SEQ_EVENT_PITCHBEND.rawValue)
            event.data.control.channel = channel; event.data.control.value = Int32(message.pitchBendValue) - 8192
        case .system:
            // systemReset; sysex pieces go whole through scheduleSysexToSelf (none is sent alone).
            event.type = UInt8(SND_SEQ_EVENT_RESET.rawValue)
        }
        return event
    }
}
