import ArgumentParser
import AttaccaALSA
import AttaccaCore
import AttaccaJACK
import AttaccaLatency
import AttaccaPipeWire
import Glibc

/// `attacca play`: the live instrument. MIDI from the ALSA sequencer (and/or a MIDI file
/// played through the same path) to a PCM device with small periods, rendered on a
/// SCHED_FIFO thread.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play live: MIDI input (and an optional MIDI file) to an ALSA PCM device, a JACK server or PipeWire.",
        discussion: """
            Creates the sequencer client 'Attacca' with the port 'Attacca input', connects every \
            hardware MIDI source (also ones plugged in later) unless --no-auto-connect, and plays \
            until Ctrl-C, or until a MIDI file given has played out. See 'attacca devices' for names. \
            With --driver jack: the JACK client 'attacca' with the ports out_L, out_R and midi_in \
            (JACK MIDI, placed at each event's own frame); the rate and period are the server's. \
            With --driver pipewire: the PipeWire node 'attacca' with the same ports, asking the graph \
            for --period frames at --rate (the graph's own rate and quantum win).
            """
    )

    @Option(help: ArgumentHelp("Where the sound goes: alsa (a PCM device, the card is ours), jack (a JACK server, jackd or PipeWire's) or pipewire (a PipeWire node).", valueName: "driver"))
    var driver: AudioDriver = .alsa

    @Option(help: ArgumentHelp("With --driver jack: the JACK server's name (default: $JACK_DEFAULT_SERVER, else 'default'). Never starts a server.", valueName: "name"))
    var jackServer: String?

    @Option(help: ArgumentHelp("With --driver jack: the JACK client's name (default: attacca; JACK adds -01 when it is taken).", valueName: "name"))
    var jackName: String?

    @Flag(inversion: .prefixedNo, help: "With --driver jack: connect out_L and out_R to the first two physical playback ports.")
    var jackAutoconnect = true

    @Option(help: ArgumentHelp("With --driver jack: connect this JACK MIDI output port (client:port, see jack_lsp) to midi_in (repeatable).", valueName: "port"))
    var jackMidiConnect: [String] = []

    @Option(help: ArgumentHelp("With --driver pipewire: the node's name (node.name; default: attacca).", valueName: "name"))
    var pipewireName: String?

    @Flag(inversion: .prefixedNo, help: "With --driver pipewire: ask the session manager to link the outputs (node.autoconnect).")
    var pipewireAutoconnect = true

    @Option(help: ArgumentHelp("With --driver pipewire: link out_L/out_R to this node's left and right inputs (node.name, see pw-link -i) ourselves; for a graph with no session manager.", valueName: "node"))
    var pipewireLink: String?

    @Option(name: [.short, .long], help: ArgumentHelp("ALSA PCM device: hw:0,0, hw:CARD=...,DEV=..., plughw:..., default, null.", valueName: "name"))
    var device: String = "default"

    @Option(parsing: .unconditional, help: ArgumentHelp("Frames per period (16...8192).", valueName: "frames"))
    var period: Int = 64

    @Option(parsing: .unconditional, help: ArgumentHelp("Periods in the device buffer (2...64).", valueName: "count"))
    var periods: Int = 2

    @Option(name: [.short, .long], parsing: .unconditional, help: "Sample rate in Hz (8000...192000; 96000 with fluidsynth).")
    var rate: Int = 48000

    @Option(help: ArgumentHelp("Sample format: S16, S24, S24_3, S32 or FLOAT (default: the best the device takes).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("Connect this MIDI source: 20:0, a client name, or name:port, as aconnect takes (repeatable).", valueName: "port"))
    var connect: [String] = []

    @Flag(inversion: .prefixedNo, help: "Connect every hardware MIDI source, including ones plugged in later.")
    var autoConnect = true

    @Option(parsing: .unconditional, help: ArgumentHelp("SCHED_FIFO priority of the audio thread (1...99).", valueName: "priority"))
    var priority: Int32 = 70

    @Option(help: ArgumentHelp("Event placement: lowest (each note as early as it can sound, up to a period of jitter) or constant (one period after its arrival, no jitter).", valueName: "mode"))
    var latencyMode: LatencyMode = .lowest

    @Option(help: ArgumentHelp("In lowest mode, render each period this long before the device needs it, so notes that arrive meanwhile are in it: auto (measured, backs off after an xrun), off (render as soon as a period is free), or microseconds.", valueName: "lead"))
    var renderLead: RenderLead = .auto

    @Flag(help: "Show the note-on-to-sound latency readout instead of the status line (also: 'attacca latency' beside it).")
    var latency = false

    @Flag(name: [.short, .long], help: "No status line.")
    var quiet = false

    @OptionGroup var engineOptions: EngineOptions

    @Argument(help: ArgumentHelp("A Standard MIDI File to play through the live path.", valueName: "midi-file"))
    var midiFile: String?

    func validate() throws {
        guard (16...8192).contains(period) else { throw ValidationError("--period must be between 16 and 8192 frames, not \(period)") }
        guard (2...64).contains(periods) else { throw ValidationError("--periods must be between 2 and 64, not \(periods)") }
        guard (8000...192_000).contains(rate) else { throw ValidationError("--rate must be between 8000 and 192000 Hz, not \(rate)") }
        if engineOptions.engine == .fluidsynth && rate > 96_000 {
            throw ValidationError("--rate must be between 8000 and 96000 Hz with --engine fluidsynth, not \(rate)")
        }
        guard (1...99).contains(priority) else { throw ValidationError("--priority must be between 1 and 99, not \(priority)") }
        if device.isEmpty { throw ValidationError("--device needs a name (see 'attacca devices')") }
        if let format, PCMFormat(name: format) == nil {
            throw ValidationError("--format must be S16, S24, S24_3, S32 or FLOAT, not '\(format)'")
        }
        if midiFile?.isEmpty == true { throw ValidationError("the MIDI file name is empty") }
        if connect.contains(where: \.isEmpty) { throw ValidationError("--connect needs a port (see 'attacca devices')") }
        if driver != .pipewire && (pipewireName != nil || !pipewireAutoconnect || pipewireLink != nil) {
            throw ValidationError("--pipewire-name, --pipewire-link and --no-pipewire-autoconnect need --driver pipewire")
        }
        if driver != .jack && driver != .alsa && (jackServer != nil || jackName != nil || !jackMidiConnect.isEmpty || !jackAutoconnect) {
            throw ValidationError("--jack-server, --jack-name, --jack-midi-connect and --no-jack-autoconnect need --driver jack")
        }
        switch driver {
        case .pipewire:
            if device != "default" || format != nil {
                throw ValidationError("--device and --format are ALSA's; with --driver pipewire the PipeWire daemon owns the device")
            }
            if periods != 2 {
                throw ValidationError("--periods is ALSA's; with --driver pipewire --period asks for the graph's quantum")
            }
            if pipewireLink?.isEmpty == true { throw ValidationError("--pipewire-link needs a node name (see pw-link -i)") }
            if let pipewireName, pipewireName.isEmpty || pipewireName.contains(":") || pipewireName.utf8.count > 63 {
                throw ValidationError("--pipewire-name needs 1 to 63 bytes and no ':' (got '\(pipewireName)')")
            }
        case .alsa:
            if jackServer != nil || jackName != nil || !jackMidiConnect.isEmpty || !jackAutoconnect {
                throw ValidationError("--jack-server, --jack-name, --jack-midi-connect and --no-jack-autoconnect need --driver jack")
            }
        case .jack:
            if device != "default" || format != nil {
                throw ValidationError("--device and --format are ALSA's; with --driver jack the JACK server owns the device")
            }
            if period != 64 || periods != 2 {
                throw ValidationError("--period and --periods are the JACK server's with --driver jack (jackd -p and -n)")
            }
            if jackServer?.isEmpty == true { throw ValidationError("--jack-server needs a name") }
            if let jackName {
                // JACK's limit (jack_client_name_size(): 64 with the NUL) and its port separator.
                if jackName.isEmpty || jackName.utf8.count > 63 || jackName.contains(":") {
                    throw ValidationError("--jack-name needs 1 to 63 bytes and no ':' (got '\(jackName)')")
                }
            }
            if jackMidiConnect.contains(where: \.isEmpty) { throw ValidationError("--jack-midi-connect needs a port (see jack_lsp)") }
        }
    }

    func run() throws {
        var file: MidiFile?
        if let midiFile {
            do {
                file = try MidiFile(path: midiFile)
            } catch {
                switch error {
                case .unreadableFile, .fileTooLarge: throw error
                default: throw CommandFailure("'\(midiFile)': \(error)")
                }
            }
        }
        InterruptFlag.install()
        Self.unblockStopSignals()
        ALSALibrary.silenceDiagnostics()
        if driver == .jack { return try runJACK(file: file) }
        if driver == .pipewire { return try runPipeWire(file: file) }

        let requested = PCMConfiguration(device: device, rate: rate, format: format.flatMap(PCMFormat.init(name:)),
                                         channels: 2, periodSize: period, periodCount: periods)
        // Opened before the engine: a missing or busy device is reported before a long SoundFont load.
        let pcm = try PCM(requested)
        let negotiated = pcm.configuration
        var opened: PCM? = consume pcm
        let channels = PlayerChannels()
        defer { channels.deallocate() }
        let ring = channels.ring, monitor = channels.monitor, records = channels.records
        let setup = LatencySetup(device: negotiated.device, rate: negotiated.rate, periodSize: negotiated.periodSize,
                                 periodCount: negotiated.periodCount, mode: latencyMode.rawValue)
        let server = makeLatencyServer(records: records, monitor: monitor, setup: setup)
        if !quiet {
            let latency = Double(negotiated.periodSize * negotiated.periodCount) * 1000 / Double(negotiated.rate)
            StandardError.write("attacca: \(negotiated.device): \(negotiated.rate) Hz, \(negotiated.sampleFormat.alsaName), "
                + "\(negotiated.channels) channels, \(negotiated.periodCount) periods of \(negotiated.periodSize) frames "
                + "(buffer \(String(format3: latency)) ms)")
        }

        let outcome = try Self.withOptionalPointer(openSequencer(playingFile: file != nil)) { sequencerPointer in
            try withUnsafeMutablePointer(to: &opened) { devicePointer in
                // The same rate as the first time: the engine is built for it.
                var again = requested
                again.rate = negotiated.rate
                var job = PlayJob(device: devicePointer, request: again, ring: ring, monitor: monitor,
                                  sequencer: sequencerPointer, midiFile: file, priority: priority,
                                  autoConnect: autoConnect, quiet: quiet, latencyMode: latencyMode, renderLead: renderLead,
                                  latencyRecords: records, latencyServer: server, showsLatency: latency)
                job.limits = engineOptions.limiter == .on
                return try engineOptions.withEngine(sampleRate: negotiated.rate, job)
            }
        }
        if outcome.failureCode != 0 {
            throw CommandFailure("PCM device '\(negotiated.device)' failed while playing: \(ALSAError(code: outcome.failureCode, call: "snd_pcm_writei").reason)")
        }
        if !quiet {
            StandardError.write("attacca: stopped after \(outcome.periods) periods")
        }
        // Always, --quiet included, in this order with xruns last: scripts (the VM harness) read them.
        StandardError.write("events: \(outcome.received) received, \(outcome.dropped) dropped")
        StandardError.write("voices sounding at stop: \(outcome.voicesAtStop)")
        StandardError.write("xruns: \(outcome.xruns)")
    }

    /// `--driver jack`: the client opened first (a missing server is said before a long SoundFont
    /// load), the engine built at the server's rate, then the same player loop as ALSA's.
    private func runJACK(file: MidiFile?) throws {
        let channels = PlayerChannels()
        defer { channels.deallocate() }
        let ring = channels.ring, monitor = channels.monitor, records = channels.records
        let settings = JACKSettings(clientName: jackName ?? "attacca", server: jackServer, autoConnect: jackAutoconnect,
                                    midiSources: jackMidiConnect)
        var session = try JACKSession(settings: settings, ring: ring, monitor: monitor, latencyMode: latencyMode,
                                      latencyRecords: records)
        let serverName = jackServer ?? "default"
        if rate != 48000 && rate != session.sampleRate {
            StandardError.write("attacca: warning: --rate \(rate) ignored: the JACK server runs at \(session.sampleRate) Hz")
        }
        try playOnGraph(&session, device: "jack:\(serverName)", sampleRate: session.sampleRate, cycleFrames: session.bufferSize,
                        name: "JACK client '\(session.clientName)' on server '\(serverName)'", file: file,
                        channels: channels) { job, session in job.jack = session }
    }

    /// `--driver pipewire`: the node made first (a missing daemon is said before a long SoundFont
    /// load), the engine built at the graph's rate, then the same player loop.
    private func runPipeWire(file: MidiFile?) throws {
        let channels = PlayerChannels()
        defer { channels.deallocate() }
        let ring = channels.ring, monitor = channels.monitor, records = channels.records
        let settings = PipeWireSettings(nodeName: pipewireName ?? "attacca", quantum: period, rate: rate,
                                        autoConnect: pipewireAutoconnect, linkTarget: pipewireLink)
        var session = try PipeWireSession.open(settings: settings, ring: ring, monitor: monitor, latencyMode: latencyMode,
                                               latencyRecords: records)
        if session.sampleRate != rate || session.quantum != period {
            StandardError.write("attacca: warning: asked PipeWire for \(period) frames at \(rate) Hz; the graph runs \(session.quantum) at \(session.sampleRate) Hz")
        }
        try playOnGraph(&session, device: "pipewire:\(settings.nodeName)", sampleRate: session.sampleRate,
                        cycleFrames: session.quantum, name: "PipeWire node '\(settings.nodeName)'", file: file,
                        channels: channels) { job, session in job.pipewire = session }
    }

    /// The player loop on a sound server's output (`name` says which, `device` names it to
    /// `attacca latency`), and its closing lines.
    private func playOnGraph<Graph: GraphOutput & ~Copyable>(
        _ session: inout Graph, device: String, sampleRate: Int, cycleFrames: Int, name: String, file: MidiFile?,
        channels: PlayerChannels, attach: (inout PlayJob, UnsafeMutablePointer<Graph>) -> Void
    ) throws {
        // For the status line and `attacca latency`: the server's cycle, and two of them.
        let described = PCMConfiguration(device: device, rate: sampleRate, format: .float,
                                         channels: 2, periodSize: cycleFrames, periodCount: 2)
        let setup = LatencySetup(device: device, rate: sampleRate, periodSize: cycleFrames,
                                 periodCount: 2, mode: latencyMode.rawValue)
        let server = makeLatencyServer(records: channels.records, monitor: channels.monitor, setup: setup)
        if !quiet {
            let cycle = Double(cycleFrames) * 1000 / Double(sampleRate)
            StandardError.write("attacca: \(name): \(sampleRate) Hz, \(cycleFrames) frames a cycle (\(String(format3: cycle)) ms)")
        }
        let outcome = try withUnsafeMutablePointer(to: &session) { sessionPointer in
            try Self.withOptionalPointer(openSequencer(playingFile: file != nil)) { sequencerPointer in
                var job = PlayJob(device: nil, request: described, ring: channels.ring, monitor: channels.monitor,
                                  sequencer: sequencerPointer, midiFile: file, priority: nil,
                                  autoConnect: autoConnect, quiet: quiet, latencyMode: latencyMode, renderLead: .off,
                                  latencyRecords: channels.records, latencyServer: server, showsLatency: latency)
                job.limits = engineOptions.limiter == .on
                attach(&job, sessionPointer)
                return try engineOptions.withEngine(sampleRate: sampleRate, job)
            }
        }
        if !quiet {
            StandardError.write("attacca: stopped after \(outcome.periods) cycles")
        }
        StandardError.write("events: \(outcome.received) received, \(outcome.dropped) dropped")
        StandardError.write("voices sounding at stop: \(outcome.voicesAtStop)")
        StandardError.write("xruns: \(outcome.xruns)")
    }

    /// The collector of latency records, serving `attacca latency` on this user's socket; when
    /// the socket cannot be had (another player has it, the directory is not private) it says
    /// so once and measures for `--latency` alone.
    private func makeLatencyServer(records: LatencyRing, monitor: AudioMonitor, setup: LatencySetup) -> LatencyServer {
        let socket = LatencySocket.standard()
        do {
            return try LatencyServer(records: records, monitor: monitor, setup: setup, socket: socket)
        } catch {
            StandardError.write("attacca: warning: no latency readout for 'attacca latency': \(error.description)")
            // Without a socket nothing can fail.
            return try! LatencyServer(records: records, monitor: monitor, setup: setup, socket: nil)
        }
    }

    /// A parent (a test runner, a service manager) may start us with SIGINT/SIGTERM blocked;
    /// Ctrl-C and `kill` must still stop playing.
    private static func unblockStopSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in InterruptFlag.stopSignals { sigaddset(&signals, number) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// The sequencer client with its connections made, or nil (said once) when this machine
    /// has no sequencer; a port that cannot be connected is an error.
    private func openSequencer(playingFile: Bool) throws -> Sequencer? {
        let sequencer: Sequencer
        do {
            sequencer = try Sequencer()
        } catch {
            StandardError.write("attacca: MIDI input unavailable (\(error.description)); playing \(playingFile ? "the MIDI file" : "silence") without it")
            return nil
        }
        for source in connect {
            let address = try sequencer.connect(from: source)
            if !quiet { StandardError.write("attacca: connected MIDI input \(address)") }
        }
        if autoConnect {
            for address in sequencer.connectHardwareSources() where !quiet {
                StandardError.write("attacca: connected MIDI input \(address)")
            }
        }
        // Announcements also say when a source goes away (its held notes are then released).
        try? sequencer.watchAnnouncements()
        if !quiet { StandardError.write("attacca: MIDI input on sequencer port \(sequencer.address) 'Attacca input'") }
        return sequencer
    }

    /// Hands `body` a pointer to the sequencer inside `value`, or nil when there is none.
    private static func withOptionalPointer<R>(_ value: consuming Sequencer?, _ body: (UnsafeMutablePointer<Sequencer>?) throws -> R) throws -> R {
        guard var sequencer = value.take() else { return try body(nil) }
        return try withUnsafeMutablePointer(to: &sequencer) { try body($0) }
    }
}

extension String {
    /// `value` with one decimal, without Foundation's formatter.
    init(format3 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
