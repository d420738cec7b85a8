import AttaccaAudioFile
import Foundation
import Testing

/// `attacca play --driver jack` on PipeWire's JACK (`pw-jack`), against a PipeWire daemon of the
/// test's own at a 64-frame quantum: what a desktop where PipeWire owns the sound card runs.
/// Skipped where PipeWire is not installed (scripts/setup installs pipewire-bin and pipewire-jack).
@Suite(.serialized, .enabled(if: TestPipeWire.isInstalled, "pipewire or pipewire-jack is not installed (scripts/setup installs them)"))
struct PipeWireJACKTests {
    /// The MIDI source's loop: one A4 every 24001 frames (held 12000), so each note falls one
    /// frame later in its 64-frame cycle than the one before.
    static let loopFrames = 24001

    /// jack_midiseq's A4s into attacca, attacca's left output into jack_rec. The player takes
    /// PipeWire's quantum (64 frames); each note starts one frame later in its cycle than the one
    /// before, as sent (the readout's per-note frames: a player that plays each cycle's events at
    /// its start, as FluidSynth's JACK driver does, puts them all at 0); the recording is at
    /// 440 Hz; the latency readout has the notes at one cycle each (a JACK MIDI event waits one
    /// cycle; nothing is connected downstream, so the output adds no latency), and the player
    /// stops cleanly. Until the JACK clock's values were read with wrapping arithmetic, the first
    /// note stopped the player with a trap (PipeWire's `jack_frames_to_time` answered over 2^63 µs).
    ///
    /// The recording's gaps between notes are printed, not asserted: on an idle machine they are
    /// 24001 frames exactly, but on CI's machine jackd's and PipeWire's timers woke late hundreds
    /// of times a test, and in three runs no more than two gaps of seven came out exact (the recorder's
    /// and the graph's cycles dropped inside the notes). The frames in the readout are JACK's own
    /// event times, which no late cycle moves (a MIDI source that misses a cycle sends its next
    /// note a whole cycle later, at the same frame); that the engine renders a note at its frame
    /// is checked offline (SynthesizerTests) and against jackd's own probe (JACKPlayTests).
    @Test func notesThroughPipeWiresJACKAreSampleAccurate() throws {
        try Self.expectSampleAccurate(Self.play(["--driver", "jack", "--no-jack-autoconnect"], launcher: [TestPipeWire.pwJack]))
    }

    /// The same with `--driver pipewire`: Attacca's own PipeWire node (pw_filter), its MIDI
    /// input fed by jack_midiseq and its output recorded by jack_rec, both through PipeWire's
    /// JACK. With the Dummy-Driver (no device, `clock.delay` 0) the readout is one quantum.
    /// The source is linked as soon as the node exists, while the SoundFont still loads: until
    /// the silent cycles gave the MIDI port's buffers back, that link ran out of buffers and
    /// three runs in four heard no note at all.
    @Test func notesThroughANativePipeWireNodeAreSampleAccurate() throws {
        try Self.expectSampleAccurate(Self.play(["--driver", "pipewire", "--no-pipewire-autoconnect"], launcher: []))
    }

    /// `--pipewire-link NODE` on a daemon with no session manager: the outputs are linked to the
    /// node's FL and FR inputs (pw-link can remove exactly those links afterwards), and a node
    /// that does not exist is a one-line error that names the ones that do, exit 1.
    @Test func pipewireLinkConnectsTheOutputsToANamedNode() throws {
        let pipewire = try TestPipeWire()
        // A sink with DSP ports FL/FR and no device (its ports configured without a session manager).
        #expect(try pipewire.run(["pw-cli", "create-node", "adapter", "{ factory.name=support.null-audio-sink node.name=testsink "
            + "media.class=Audio/Sink audio.position=[FL FR] object.linger=true "
            + "adapter.auto-port-config={ mode=dsp monitor=false control=false position=preserve } }"]) == 0)
        let missing = try PlayerRun(["play", "--driver", "pipewire", "--pipewire-link", "nosuch"] + PlayerRun.fontArguments,
                                    environment: pipewire.environment)
        #expect(missing.wait() == 1)
        #expect(missing.errorLines.last == "attacca: error: PipeWire: --pipewire-link: no node 'nosuch' with audio inputs (nodes with inputs: testsink)",
                "\(missing.standardError)")
        let player = try PlayerRun(["play", "--driver", "pipewire", "--pipewire-link", "testsink"] + PlayerRun.fontArguments,
                                   environment: pipewire.environment)
        try player.waitForStandardError(containing: "linked attacca:out_R to testsink:playback_FR")
        #expect(player.standardError.contains("linked attacca:out_L to testsink:playback_FL"))
        #expect(try pipewire.run(["pw-link", "-d", "attacca:out_L", "testsink:playback_FL"]) == 0)
        #expect(try pipewire.run(["pw-link", "-d", "attacca:out_R", "testsink:playback_FR"]) == 0)
        #expect(try pipewire.run(["pw-link", "-d", "attacca:out_R", "testsink:playback_FR"]) != 0)
        #expect(player.interrupt() == 0, "\(player.standardError)")
    }

    /// Each note one frame later in its cycle, at 440 Hz, one quantum in the readout, a clean stop.
    static func expectSampleAccurate(_ run: Run) throws {
        let frames = (run.report["recentNotes"] as? [[String: Any]] ?? []).compactMap { $0["frame"] as? Int }
        let steps = zip(frames.dropFirst(), frames).map { (($0 - $1) % run.quantum + run.quantum) % run.quantum }
        print("PipeWire: the readout's frames \(frames), steps \(steps) (sent one frame later each)")
        #expect(frames.count >= 4, "\(run.report)")
        #expect(steps.filter { $0 != 1 }.count <= 1, "\(frames)")
        #expect(abs(run.pitch - 440) < 440 * 0.01, "\(run.pitch) Hz")
        let notes = run.report["notes"] as? Int ?? 0
        let total = (run.report["total"] as? [String: Any])?["p50"] as? Double ?? 0
        print("PipeWire latency record: \(notes) notes, total p50 \(total) ms")
        #expect(notes >= 4, "\(run.report)")
        #expect(abs(total - 1000.0 * Double(run.quantum) / Double(run.rate)) < 0.05, "\(run.report)")
        #expect(run.status == 0, "\(run.standardError)")
    }

    /// What one run of the player under `pw-jack` gave.
    struct Run {
        var gaps: [Int]
        var pitch: Double
        var report: [String: Any]
        var status: Int32
        var standardError: String
        var quantum: Int
        var rate: Int
    }

    /// A private daemon, the player, jack_midiseq into it and jack_rec from it; the gaps between
    /// the recording's notes.
    static func play(_ driver: [String], launcher: [String]) throws -> Run {
        let pipewire = try TestPipeWire()
        let player = try PlayerRun(["play"] + driver + ["--reverb", "off", "--chorus", "off"]
                                   + PlayerRun.fontArguments, environment: pipewire.environment, launcher: launcher)
        try player.waitForStandardError(containing: "\(pipewire.quantum) frames a cycle")
        try pipewire.start(["jack_midiseq", "seq", "\(Self.loopFrames)", "0", "69", "12000"])
        let deadline = Date().addingTimeInterval(10)
        while try pipewire.run(["jack_connect", "seq:out", "attacca:midi_in"]) != 0 {
            try #require(Date() < deadline, "jack_connect seq:out attacca:midi_in kept failing")
            usleep(50_000)
        }
        // A 5 s ring for jack_rec's disk thread: it drops what the ring cannot hold.
        let recording = pipewire.folder.appendingPathComponent("out.wav").path
        #expect(try pipewire.run(["jack_rec", "-f", recording, "-d", "4", "-b", "24", "-B", "262144", "attacca:out_L"]) == 0)
        let report = try player.latencyReport()
        let status = player.interrupt()
        print("PipeWire: \(player.errorLines.suffix(3).joined(separator: "; "))")

        let samples = try AudioFileReader(path: recording).channels[0]
        let first = try #require(samples.firstIndex { abs($0) > 1e-4 }, "nothing recorded")
        // Each later note found where it best matches the first (every note is the same sample
        // struck the same way), then the gaps between consecutive notes.
        let window = 1500
        var onsets = [first]
        for note in 1... {
            let expected = first + note * Self.loopFrames
            guard expected + 200 + window <= samples.count else { break }
            onsets.append(expected + Self.bestLag(samples, reference: first, around: expected, window: window, reach: 200))
        }
        let gaps = zip(onsets.dropFirst(), onsets).map { $0 - $1 }
        print("PipeWire: onsets at frames \(onsets), \(gaps) frames apart (sent \(Self.loopFrames) apart)")
        try #require(first + 2400 + 8192 <= samples.count, "the recording ends at \(samples.count)")
        let pitch = PitchEstimate.frequency(samples[(first + 2400)..<(first + 2400 + 8192)], rate: pipewire.rate) ?? 0
        return Run(gaps: gaps, pitch: pitch, report: report, status: status, standardError: player.standardError,
                   quantum: pipewire.quantum, rate: pipewire.rate)
    }

    /// The offset (within ±`reach`) at which `window` frames from `around` best match those
    /// from `reference`, by least squares: every note is the same sample struck the same way.
    static func bestLag(_ samples: [Float], reference: Int, around: Int, window: Int, reach: Int) -> Int {
        var best = (error: Float.infinity, lag: 0)
        for lag in -reach...reach {
            var error: Float = 0
            for index in 0..<window {
                let difference = samples[around + lag + index] - samples[reference + index]
                error += difference * difference
            }
            if error < best.error { best = (error, lag) }
        }
        return best.lag
    }
}
