import AttaccaALSA
import AttaccaCore
import Glibc

/// The live instrument, run with whichever engine `EngineOptions` builds: starts the audio
/// thread on the prepared loop, then, on this (ordinary) thread, moves MIDI input and the MIDI
/// file's events into the ring, draws the status line and waits for the end or a signal.
struct PlayJob: EngineVisitor {
    let loop: UnsafeMutablePointer<AudioLoop<PCM>>
    let sequencer: UnsafeMutablePointer<Sequencer>?
    let midiFile: MidiFile?
    let priority: Int32?
    let autoConnect: Bool
    let quiet: Bool
    /// Longest wait for the sound to die away after the file's last event.
    let tailSeconds: Double = 2

    struct Outcome {
        var interrupted: Bool
        var failureCode: Int32
        var xruns: Int
        var periods: Int
    }

    func visit<E: SoundEngine & ~Copyable>(_ engine: inout E) throws -> Outcome {
        let loop = self.loop
        let ring = loop.pointee.ring
        let monitor = loop.pointee.monitor
        // After the engine and every buffer exist, and only what exists: with MCL_FUTURE a
        // memlock limit would make later allocations fail.
        let memoryRefusal = Realtime.lockMemory()
        return try withUnsafeMutablePointer(to: &engine) { engine in
            var thread = try AudioThread(priority: priority) {
                if E.self == Synthesizer.self {
                    // The compiler-checked, fully specialized loop for the native engine.
                    let synthesizer = UnsafeMutableRawPointer(engine).assumingMemoryBound(to: Synthesizer.self)
                    loop.pointee.run(synthesizer: &synthesizer.pointee)
                } else {
                    loop.pointee.run(engine: &engine.pointee)
                }
            }
            let refusal = thread.realtimeRefusal
            if memoryRefusal != nil || refusal != nil {
                var refused: [String] = []
                if let refusal, let priority { refused.append("SCHED_FIFO priority \(priority) (\(refusal))") }
                if let memoryRefusal { refused.append("locking memory (\(memoryRefusal))") }
                StandardError.write("attacca: warning: the system refused \(refused.joined(separator: " and ")); \(Realtime.advice)")
            }
            let interrupted = feed(ring: ring, monitor: monitor, periodNanoseconds: loop.pointee.periodNanoseconds)
            monitor.requestStop()
            thread.join()
            return Outcome(interrupted: interrupted, failureCode: monitor.failureCode, xruns: monitor.xruns,
                           periods: monitor.periods)
        }
    }

    /// Runs until the file has played out, a signal, or the audio thread stops on its own.
    /// Returns true when a signal ended it.
    private func feed(ring: EventRing, monitor: AudioMonitor, periodNanoseconds: Int64) -> Bool {
        var status = StatusLine(monitor: monitor, ring: ring, periodNanoseconds: periodNanoseconds)
        defer { if !quiet { status.finish() } }
        let events = midiFile?.events ?? []
        let start = MonotonicClock.now() + 2 * periodNanoseconds
        let fileEnd = start + Int64((midiFile?.duration ?? 0) * 1e9)
        var next = 0
        var lastStatus: Int64 = 0
        let statusInterval: Int64 = StandardError.isTerminal ? 200_000_000 : 1_000_000_000

        while !InterruptFlag.isRaised && !monitor.isFinished {
            let now = MonotonicClock.now()
            // The file's events that are due, stamped with their own time (exact placement).
            while next < events.count {
                let due = start + Int64(events[next].time * 1e9)
                if due > now { break }
                if let sequencer {
                    _ = sequencer.pointee.sendToSelf(events[next].message)
                } else {
                    ring.push(RingEvent(message: events[next].message, arrivalNanoseconds: due))
                }
                next += 1
            }
            if midiFile != nil && next == events.count && now >= fileEnd {
                let quietNow = monitor.voices == 0 && monitor.periods > 0
                if quietNow || now >= fileEnd + Int64(tailSeconds * 1e9) { break }
            }
            if !quiet && now - lastStatus >= statusInterval {
                status.update()
                lastStatus = now
            }
            // Sleep until the next file event, at most 10 ms (signals and status stay responsive).
            var wait: Int64 = 10_000_000
            if next < events.count { wait = min(wait, max(start + Int64(events[next].time * 1e9) - now, 0)) }
            if let sequencer {
                sequencer.pointee.receive(timeoutMilliseconds: Int32(wait / 1_000_000), autoConnect: autoConnect,
                                          connected: { address in
                                              if !quiet { StandardError.write("attacca: connected MIDI input \(address)") }
                                          }) { input in
                    ring.push(RingEvent(message: input.message, arrivalNanoseconds: input.arrivalNanoseconds))
                }
            } else if wait > 0 {
                var time = timespec(tv_sec: 0, tv_nsec: Int(wait))
                nanosleep(&time, nil)
            }
        }
        return InterruptFlag.isRaised
    }
}
