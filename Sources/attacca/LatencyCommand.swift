import ArgumentParser
import AttaccaALSA
import AttaccaLatency
import Foundation

/// `attacca latency`: the readout of a running `attacca play`'s note-on-to-sound latency,
/// read through the player's private socket.
struct LatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Show the note-on-to-sound latency of the running 'attacca play'.",
        discussion: """
            Notes measured, total latency (min, p50, p90, p99, max, jitter p99-p1), each stage's share \
            (input wait, queue wait, render, device buffer), xruns, the period settings and the floor \
            they imply, and a histogram. Updated in place on a terminal until Ctrl-C; printed once \
            otherwise. The player listens on $XDG_RUNTIME_DIR/attacca/player.sock (else \
            /tmp/attacca-$UID/player.sock), open to its own user only.

            --loopback measures from outside instead, like jack_iodelay from MIDI to sound: it sends \
            note-ons to a synthesizer's sequencer port (--target: Attacca, or another such as \
            'FLUID Synth'), captures its output (--capture, e.g. snd-aloop's hw:Loopback,1,0), waits \
            for digital silence before each note, finds each onset (the first sample at or above \
            --threshold dBFS, walked back to the first sample above one 16-bit step) and maps its capture frame \
            to CLOCK_MONOTONIC through the capture stream's htstamp and avail.
            """
    )

    @Flag(help: "Print the report once as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Write the histogram as an SVG picture.", valueName: "file.svg"))
    var plot: String?

    @Flag(help: "Print the report once, even on a terminal.")
    var once = false

    @Flag(help: "Clear the player's figures first (start a new measurement).")
    var reset = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds between updates on a terminal.", valueName: "seconds"))
    var interval: Double = 0.5

    @Flag(help: "Measure by loopback: send notes to --target and capture its output from --capture.")
    var loopback = false

    @Option(help: ArgumentHelp("Loopback: the synthesizer's sequencer port (client name, 128:0, name:port).", valueName: "port"))
    var target: String = "Attacca"

    @Option(help: ArgumentHelp("Loopback: the capture device the synthesizer's output reaches.", valueName: "name"))
    var capture: String = "hw:Loopback,1,0"

    @Option(parsing: .unconditional, help: "Loopback: notes to measure.")
    var notes: Int = 40

    @Option(parsing: .unconditional, help: ArgumentHelp("Loopback: capture period in frames (snd-aloop on a timer source: the clock's period).", valueName: "frames"))
    var period: Int = 64

    @Option(name: [.short, .long], parsing: .unconditional, help: "Loopback: sample rate in Hz.")
    var rate: Int = 48000

    @Option(parsing: .unconditional, help: ArgumentHelp("Loopback: the target's period and period count, for the floor the report states.", valueName: "frames"))
    var targetPeriod: Int = 64

    @Option(parsing: .unconditional, help: ArgumentHelp("Loopback: the target's periods in its buffer.", valueName: "count"))
    var targetPeriods: Int = 2

    @Option(parsing: .unconditional, help: ArgumentHelp("Loopback: onset threshold in dBFS.", valueName: "dB"))
    var threshold: Double = -60

    @Option(parsing: .unconditional, help: ArgumentHelp("Loopback: the MIDI key played (velocity 127), or keys played in turn (60-71).", valueName: "key"))
    var key: String = "60"

    @Option(parsing: .unconditional, help: ArgumentHelp("Loopback: a program change sent first (0...127).", valueName: "program"))
    var program: Int?

    @Option(help: ArgumentHelp("Loopback: how notes are sent: sequencer (direct, unscheduled, from a second client), queue (scheduled on the sender's queue, as aplaymidi), rawmidi (bytes into --rawmidi, as a keyboard).", valueName: "kind"))
    var input: String = "sequencer"

    @Option(help: ArgumentHelp("Loopback: the raw MIDI port for --input rawmidi; the target must listen to its sequencer client.", valueName: "device"))
    var rawmidi: String = "hw:VirMIDI,0"

    @Option(parsing: .unconditional, help: ArgumentHelp("Loopback: how long each note is held after its onset (0: released as soon as heard).", valueName: "ms"))
    var hold: Int = 60

    @Option(parsing: .unconditional, help: "Loopback: the MIDI channel (1...16; 10 plays the drum kit).")
    var channel: Int = 1

    func validate() throws {
        guard (1...100_000).contains(notes) else { throw ValidationError("--notes must be between 1 and 100000, not \(notes)") }
        guard (16...8192).contains(period) else { throw ValidationError("--period must be between 16 and 8192 frames, not \(period)") }
        guard (16...8192).contains(targetPeriod) else { throw ValidationError("--target-period must be between 16 and 8192 frames, not \(targetPeriod)") }
        guard (1...64).contains(targetPeriods) else { throw ValidationError("--target-periods must be between 1 and 64, not \(targetPeriods)") }
        guard (8000...192_000).contains(rate) else { throw ValidationError("--rate must be between 8000 and 192000 Hz, not \(rate)") }
        guard (-120.0 ... -1.0).contains(threshold) else { throw ValidationError("--threshold must be between -120 and -1 dBFS, not \(threshold)") }
        guard (1...16).contains(channel) else { throw ValidationError("--channel must be between 1 and 16, not \(channel)") }
        guard Self.keys(key) != nil else { throw ValidationError("--key must be a key 0...127 or a range such as 60-71, not '\(key)'") }
        if let program, !(0...127).contains(program) { throw ValidationError("--program must be between 0 and 127, not \(program)") }
        guard LoopbackInput(rawValue: input) != nil else { throw ValidationError("--input must be sequencer, queue or rawmidi, not '\(input)'") }
        guard (0...10_000).contains(hold) else { throw ValidationError("--hold must be between 0 and 10000 ms, not \(hold)") }
        if target.isEmpty || capture.isEmpty { throw ValidationError("--target and --capture need a name") }
        if loopback && reset { throw ValidationError("--reset reads a player; it does not go with --loopback") }
        guard interval >= 0.05 && interval <= 60 else { throw ValidationError("--interval must be between 0.05 and 60 seconds, not \(interval)") }
        if let plot, plot.isEmpty { throw ValidationError("--plot needs a file name") }
    }

    func run() throws {
        if loopback { return try runLoopback() }
        let socket = LatencySocket.standard()
        if reset {
            let answer = try socket.request("reset")
            guard answer == "ok" else { throw LatencySocketError.badAnswer(answer) }
        }
        var report = try Self.fetch(socket)
        if let plot { try Self.writePlot(report, to: plot) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        let terminal = isatty(1) == 1
        var display = LatencyDisplay(stream: stdout, inPlace: terminal)
        display.show(LatencyReadout.lines(report, unicode: terminal))
        guard terminal && !once else { return }
        InterruptFlag.install()
        while !InterruptFlag.isRaised {
            usleep(UInt32(interval * 1_000_000))
            guard !InterruptFlag.isRaised else { break }
            do {
                report = try Self.fetch(socket)
            } catch LatencySocketError.noPlayer {
                print("the player stopped")
                return
            }
            display.show(LatencyReadout.lines(report, unicode: true))
        }
    }

    /// `--loopback`: one line per note on stderr (a terminal only), then the report.
    private func runLoopback() throws {
        ALSALibrary.silenceDiagnostics()
        var settings = LoopbackSettings(target: target, capture: capture, rate: rate, periodSize: period,
                                        targetPeriodSize: targetPeriod, targetPeriodCount: targetPeriods, notes: notes)
        let keys = Self.keys(key)!
        settings.keys = keys
        settings.program = program
        settings.input = LoopbackInput(rawValue: input)!
        settings.rawMidiDevice = rawmidi
        settings.holdMilliseconds = hold
        settings.channel = channel - 1
        settings.thresholdDecibels = threshold
        var measurement = LoopbackMeasurement(settings: settings)
        StandardError.write("attacca: loopback: \(notes) notes (channel \(channel), key \(key), velocity 127, sent by \(input)) to '\(target)', capturing '\(capture)', "
            + "onset at \(LatencyReadout.ms(threshold)) dBFS then back to the first sample above one 16-bit step")
        try measurement.run { index, latency in
            if StandardError.isTerminal {
                StandardError.writeRaw("\rnote \(index + 1)/\(notes): " + (latency.map { LatencyReadout.ms(Double($0) / 1e6) + " ms" } ?? "not heard") + "\u{1B}[K")
            }
        }
        if StandardError.isTerminal { StandardError.writeRaw("\n") }
        let report = measurement.report()
        if let plot { try Self.writePlot(report, to: plot) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for line in LatencyReadout.lines(report, unicode: isatty(1) == 1) { print(line) }
        }
        if report.notes == 0 { throw CommandFailure("loopback: no note was heard on '\(capture)' within 1 s of its note-on") }
    }

    /// `60` or `60-71`: the keys a loopback plays in turn; nil when not that.
    static func keys(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let low = Int(parts[0]), let high = Int(parts[parts.count - 1]),
              0 <= low, low <= high, high <= 127 else { return nil }
        return low...high
    }

    static func fetch(_ socket: LatencySocket) throws -> LatencyReport {
        let answer = try socket.request("report")
        guard let report = try? JSONDecoder().decode(LatencyReport.self, from: Data(answer.utf8)) else {
            throw LatencySocketError.badAnswer(answer)
        }
        return report
    }

    static func writePlot(_ report: LatencyReport, to path: String) throws {
        do {
            try LatencyPlot.svg(report).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure("cannot write '\(path)': \((error as NSError).localizedDescription)")
        }
    }
}
