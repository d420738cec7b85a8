import ArgumentParser
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

    @Option(help: ArgumentHelp("Seconds between updates on a terminal.", valueName: "seconds"))
    var interval: Double = 0.5

    func validate() throws {
        guard interval >= 0.05 && interval <= 60 else { throw ValidationError("--interval must be between 0.05 and 60 seconds, not \(interval)") }
        if let plot, plot.isEmpty { throw ValidationError("--plot needs a file name") }
    }

    func run() throws {
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
