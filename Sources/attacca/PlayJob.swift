import AttaccaALSA
import AttaccaCore
import AttaccaJACK
import AttaccaLatency
import AttaccaPipeWire
import Glibc

/// The live instrument, run with whichever engine `EngineOptions` builds: starts the audio
/// session on the opened device (ALSA) or the JACK client's callback (`jack`), then, on this (ordinary) thread, moves MIDI input and the MIDI
/// file's events into the ring, releases what a departed MIDI source held, draws the status
/// line, says when the device goes away and comes back, and waits for the end or a signal.
struct PlayJob: EngineVisitor {
    /// The device `PlayCommand` opened (taken from here by the session); nil with JACK.
    let device: UnsafeMutablePointer<PCM?>?
    /// What to ask for when the device has to be opened again (with JACK: the server's rate and
    /// buffer size, for the status line).
    let request: PCMConfiguration
    let ring: EventRing
    let monitor: AudioMonitor
    let sequencer: UnsafeMutablePointer<Sequencer>?
    let midiFile: MidiFile?
    let priority: Int32?
    let autoConnect: Bool
    let quiet: Bool
    /// Event placement on the audio thread, how long before the device needs a period it is
    /// rendered, and where it records each note's latency.
    let latencyMode: LatencyMode
    let renderLead: RenderLead
    let latencyRecords: LatencyRing
    /// Collects the audio thread's latency records and answers `attacca latency`.
    let latencyServer: LatencyServer
    /// `--latency`: the latency readout replaces the status line.
    let showsLatency: Bool
    /// `--limiter on`: the audio loop limits each period (`OutputLimiter`).
    var limits = true
    /// `--driver jack`: the JACK client `PlayCommand` opened; the engine plays in its callback.
    var jack: UnsafeMutablePointer<JACKSession>?
    /// `--driver pipewire`: the PipeWire node `PlayCommand` made; the engine plays in its callback.
    var pipewire: UnsafeMutablePointer<PipeWireSession>?
    /// Longest wait for the sound to die away after the file's last event.
    let tailSeconds: Double = 2
    /// How far ahead the file's events are put on the sequencer queue: long enough to ride out a
    /// slow turn of this loop, short enough that a dense file stays within the kernel's pool of
    /// a client's scheduled events (500 by default; a full pool is waited out).
    static let scheduleAheadNanoseconds: Int64 = 100_000_000
    /// How often a device that went away is looked for.
    static let retryNanoseconds: Int64 = 500_000_000

    struct Outcome {
        var interrupted: Bool
        /// Non-zero when the device failed before it ever played (nothing to wait for).
        var failureCode: Int32
        var xruns: Int
        var periods: Int
        /// MIDI events that reached the player (live input and the file's events).
        var received: Int
        /// Of those, the ones that never reached the engine: the ring was full (never a
        /// note-off), or the device was away.
        var dropped: Int
        /// Voices sounding when the stop was requested, before all notes were silenced.
        var voicesAtStop: Int
    }

    func visit<E: SoundEngine & ~Copyable>(_ engine: inout E) throws -> Outcome {
        if let jack { return try visit(&engine, graph: jack) }
        if let pipewire { return try visit(&engine, graph: pipewire) }
        let request = self.request
        // Its thread and histograms exist before memory is locked (below, once the session's
        // buffers exist): with MCL_FUTURE a memlock limit would make later allocations fail.
        latencyServer.start()
        defer { latencyServer.stop() }
        return try withUnsafeMutablePointer(to: &engine) { engine in
            var session = AudioSession<PCM>(
                device: device!.pointee.take()!, ring: ring, monitor: monitor, priority: priority,
                retryNanoseconds: Self.retryNanoseconds, latencyMode: latencyMode, renderLead: renderLead, latencyRecords: latencyRecords,
                open: { () throws(ALSAError) -> PCM in try PCM(request) },
                run: { loop in
                    loop.pointee.limits = limits
                    if E.self == Synthesizer.self {
                        // The compiler-checked, fully specialized loop for the native engine.
                        let synthesizer = UnsafeMutableRawPointer(engine).assumingMemoryBound(to: Synthesizer.self)
                        loop.pointee.run(synthesizer: &synthesizer.pointee)
                    } else {
                        loop.pointee.run(engine: &engine.pointee)
                    }
                })
            // After the engine and every buffer exist, and only what exists: with MCL_FUTURE a
            // memlock limit would make later allocations fail. A reopened device's buffers are
            // locked the same way when they exist (the session does it).
            let memoryRefusal = Realtime.lockMemory()
            session.locksMemoryOnReopen = memoryRefusal == nil
            let refusal = try session.start()
            // MIDI input is read on this thread: real-time too, below the audio thread (FluidSynth
            // runs its MIDI thread at 50 under its audio thread's 60), so that a busy system (a
            // compiler, a browser, another program's real-time threads below ours) cannot hold a
            // note-on back until its note-off has come too.
            let inputRefusal = priority.flatMap { refusal == nil ? Realtime.makeCurrentThreadRealtime(priority: Self.inputPriority(below: $0)) : nil }
            if memoryRefusal != nil || refusal != nil || inputRefusal != nil {
                var refused: [String] = []
                if let refusal, let priority { refused.append("SCHED_FIFO priority \(priority) (\(refusal))") }
                if let inputRefusal, let priority { refused.append("SCHED_FIFO priority \(Self.inputPriority(below: priority)) for MIDI input (\(inputRefusal))") }
                if let memoryRefusal { refused.append("locking memory (\(memoryRefusal))") }
                StandardError.write("attacca: warning: the system refused \(refused.joined(separator: " and ")); \(Realtime.advice)")
            }
            return feed(&session, hasEffects: engine.pointee.hasEffects)
        }
    }

    /// With JACK or PipeWire: the engine plays in the server's process callback from `start`
    /// until `stop`. The MIDI input thread stays an ordinary one: the server's threads run at
    /// its priority, which one of ours must not preempt.
    private func visit<E: SoundEngine & ~Copyable, Graph: GraphOutput & ~Copyable>(_ engine: inout E, graph jack: UnsafeMutablePointer<Graph>) throws -> Outcome {
        latencyServer.start()
        defer { latencyServer.stop() }
        return try withUnsafeMutablePointer(to: &engine) { engine in
            jack.pointee.limits = limits
            // Before the callback runs: faulting every page in must not stall its first cycles.
            if let refusal = Realtime.lockMemory() {
                StandardError.write("attacca: warning: the system refused locking memory (\(refusal)); \(Realtime.advice)")
            }
            let lines: [String]
            do {
                lines = try jack.pointee.startPlaying(engine: engine)
            } catch {
                jack.pointee.stop()  // the engine goes with this error: no callback may touch it
                throw error
            }
            for line in lines where !quiet || line.hasPrefix("warning") { StandardError.write("attacca: \(line)") }
            var outcome = feed(&jack.pointee, hasEffects: engine.pointee.hasEffects)
            // The server's MIDI input's messages too (its callback has stopped).
            outcome.received += jack.pointee.midiReceived
            outcome.dropped += jack.pointee.midiDropped
            return outcome
        }
    }

    /// Runs until the file has played out, a signal, or the device fails before ever playing.
    /// With `hasEffects` the reverb's tail plays out after the last voice: a file ends
    /// `tailSeconds` after its last event, not as soon as no voice sounds.
    private func feed<Output: PlayOutput & ~Copyable>(_ session: inout Output, hasEffects: Bool) -> Outcome {
        var status = StatusLine(monitor: monitor, ring: ring, periodNanoseconds: request.periodNanoseconds)
        var readout = LatencyDisplay(stream: stderr, inPlace: StandardError.isTerminal)
        defer {
            if showsLatency {
                // The final figures, as plain lines.
                var final = LatencyDisplay(stream: stderr, inPlace: false)
                final.show(LatencyReadout.lines(latencyServer.report, unicode: StandardError.isTerminal))
            } else if !quiet {
                status.finish()
            }
        }
        // The file's events, decoded as they come due; `upcoming` is the next one.
        var events = midiFile?.makeEventIterator()
        var upcoming = events?.next()
        // A sysex gathered from the file's pieces, waiting for room on the queue, and the event after it.
        var pendingSysex: (bytes: [UInt8], after: MidiFile.Event?)?
        let start = MonotonicClock.now() + 2 * request.periodNanoseconds
        // With a sequencer, the file's events are scheduled on Attacca's queue (a little ahead)
        // and come back through its input port at their time, as a keyboard's would: `start`
        // on the queue's clock. nil: handed to the ring from here when due.
        var queueStart = sequencer.flatMap { sequencer in
            sequencer.pointee.queueNanoseconds().map { $0 + start - MonotonicClock.now() }
        }
        let fileEnd = start + Self.nanoseconds(midiFile?.duration ?? 0)
        var lastStatus: Int64 = 0
        let statusInterval: Int64 = StandardError.isTerminal ? 200_000_000 : 1_000_000_000
        var received = 0
        var droppedWhileAway = 0
        var failureCode: Int32 = 0
        var lostAt: Int64 = 0
        var held = HeldNotes()
        held.warmUp()
        let ring = self.ring

        while !InterruptFlag.isRaised {
            let now = MonotonicClock.now()
            switch session.pollOutput(now: now) {
            case .lost(let line)?:
                lostAt = now
                if !quiet { status.finish() }
                StandardError.write(line)
            case .restored(let name, let attempts, let lines)?:
                if !quiet { status.finish() }
                StandardError.write("attacca: \(name) is back after "
                    + "\(String(format3: Double(now - lostAt) / 1e9)) s (\(attempts) attempt\(attempts == 1 ? "" : "s")); playing on, all notes off")
                for line in lines where !quiet || line.hasPrefix("warning") { StandardError.write("attacca: \(line)") }
            case .failedAtStart(let code)?:
                failureCode = code
            case nil:
                break
            }
            if session.hasStopped { break }
            // Snapshot for this turn: only `poll` changes it, and only on this thread.
            let playing = session.isPlaying
            func deliver(_ event: RingEvent) {
                received += 1
                if playing { ring.push(event) } else { droppedWhileAway += 1 }
            }

            // The file's events: scheduled up to `scheduleAhead` ahead, or, without a queue,
            // those that are due, stamped with their own time (exact placement).
            var poolFull = false
            while let event = upcoming {
                let offset = Self.nanoseconds(event.time)
                if let sequencer, let queueTimeOfStart = queueStart {
                    if start + offset > now + Self.scheduleAheadNanoseconds { break }
                    let code: Int32
                    if event.message.isSysexPiece {
                        // A sysex goes as one sequencer event: its pieces up to the one holding
                        // F7, gathered once and kept until the kernel takes them.
                        if pendingSysex == nil {
                            var bytes: [UInt8] = []
                            var current: MidiFile.Event? = event
                            while let piece = current, piece.message.isSysexPiece {
                                bytes += [piece.message.data1, piece.message.data2]
                                current = events?.next()
                                if piece.message.data1 == 0xF7 || piece.message.data2 == 0xF7 { break }
                            }
                            if let end = bytes.firstIndex(of: 0xF7) { bytes.removeSubrange((end + 1)...) }
                            pendingSysex = (bytes, current)
                        }
                        code = sequencer.pointee.scheduleSysexToSelf(pendingSysex!.bytes, atQueueNanoseconds: queueTimeOfStart + offset)
                    } else {
                        code = sequencer.pointee.scheduleToSelf(event.message, atQueueNanoseconds: queueTimeOfStart + offset)
                    }
                    if code == -EAGAIN { poolFull = true; break }  // the kernel's pool is full: the rest on a later turn
                    if code < 0 {
                        // Never seen; the queue is Attacca's own. The rest goes straight to the ring.
                        StandardError.write("attacca: warning: cannot schedule the MIDI file on the sequencer queue "
                            + "(\(ALSAError(code: code, call: "snd_seq_event_output_direct").reason)); playing it without the queue")
                        queueStart = nil
                        if let sysex = pendingSysex {
                            // Its pieces go straight to the ring, like every event from here on.
                            for piece in MidiMessage.sysex(sysex.bytes) { deliver(RingEvent(message: piece, arrivalNanoseconds: start + offset)) }
                            upcoming = sysex.after
                            pendingSysex = nil
                        }
                        continue
                    }
                    if let sysex = pendingSysex {
                        upcoming = sysex.after
                        pendingSysex = nil
                        continue
                    }
                } else {
                    if start + offset > now { break }
                    deliver(RingEvent(message: event.message, arrivalNanoseconds: start + offset))
                }
                upcoming = events?.next()
            }
            if midiFile != nil && upcoming == nil && now >= fileEnd {
                let quietNow = monitor.voices == 0 && monitor.periods > 0 && !hasEffects
                if quietNow || now >= fileEnd + Self.nanoseconds(tailSeconds) { break }
            }
            if showsLatency && now - lastStatus >= statusInterval {
                readout.show(LatencyReadout.lines(latencyServer.report, unicode: StandardError.isTerminal))
                lastStatus = now
            } else if !quiet && now - lastStatus >= statusInterval {
                status.note = playing ? nil : session.awayNote
                status.update()
                lastStatus = now
            }
            // Sleep until the next file event is due (or due to be scheduled), at most 10 ms
            // (signals and status stay responsive).
            var wait: Int64 = 10_000_000
            if let event = upcoming {
                let ahead = queueStart == nil ? 0 : Self.scheduleAheadNanoseconds
                // A full pool frees as the queue plays: 1 ms, not a spin (this thread is real-time).
                wait = min(wait, max(start + Self.nanoseconds(event.time) - ahead - now, poolFull ? 1_000_000 : 0))
            }
            if let sequencer {
                sequencer.pointee.receive(
                    timeoutMilliseconds: Int32(wait / 1_000_000), autoConnect: autoConnect,
                    connected: { address in
                        if !quiet { StandardError.write("attacca: connected MIDI input \(address)") }
                    },
                    departed: { departure in
                        // Its note-offs will never come: release what it held, through the ring.
                        guard let messages = held.release(departure) else { return }
                        let arrival = MonotonicClock.now()
                        for message in messages { deliver(RingEvent(message: message, arrivalNanoseconds: arrival)) }
                        let notes = messages.count { $0.kind == .noteOff }
                        if !quiet {
                            StandardError.write("attacca: MIDI input \(departure); released \(notes) held note\(notes == 1 ? "" : "s")")
                        }
                    }) { input in
                        // To the audio thread first; the bookkeeping after.
                        deliver(RingEvent(message: input.message, arrivalNanoseconds: input.arrivalNanoseconds,
                                          sourceNanoseconds: input.sourceNanoseconds ?? 0))
                        held.record(input.message, from: input.source)
                    }
            } else if wait > 0 {
                var time = timespec(tv_sec: 0, tv_nsec: Int(wait))
                nanosleep(&time, nil)
            }
        }
        let voicesAtStop = session.isPlaying ? monitor.voices : 0
        session.stop()
        return Outcome(interrupted: InterruptFlag.isRaised, failureCode: failureCode, xruns: monitor.xruns,
                       periods: monitor.periods, received: received,
                       dropped: ring.dropped + droppedWhileAway + session.discardedEvents, voicesAtStop: voicesAtStop)
    }

    /// The MIDI input thread's SCHED_FIFO priority: 10 below the audio thread's, at least 1.
    static func inputPriority(below audio: Int32) -> Int32 { max(audio - 10, 1) }

    /// `seconds` after the start, in nanoseconds, at most 10^9 s (31 years): a MIDI file's
    /// times can reach 10^13 s and more (huge delta times at the slowest tempo), which would
    /// overflow Int64 nanoseconds and crash; such events simply never come due.
    static func nanoseconds(_ seconds: Double) -> Int64 {
        Int64(min(max(seconds, 0), 1e9) * 1e9)
    }

    /// alsa-lib's text for a negative errno, with the number (`No such device (-19)`).
    static func reason(_ code: Int32) -> String {
        if code == AudioLoop<PCM>.stallCode {
            let seconds = Double(AudioLoop<PCM>.stallWaits) * Double(AudioLoop<PCM>.waitTimeoutMilliseconds) / 1000
            return "it took no audio for \(String(format3: seconds)) s without an error (stalled)"
        }
        return "\(ALSAError(code: code, call: "").reason) (\(code))"
    }
}
