import ArgumentParser
import AttaccaALSA

/// `attacca devices`: the playback PCMs (with what each accepts) and the sequencer's MIDI
/// sources, in the names `play --device` and `play --connect` take.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List PCM playback devices and MIDI input sources.")

    func run() throws {
        ALSALibrary.silenceDiagnostics()
        print("PCM playback devices (--device):")
        var names = PCMCapabilities.playbackDeviceNames()
        if !names.contains(where: { $0.name == "null" }) { names.append(("null", "Discard all samples (paced like a card)")) }
        for (name, description) in names {
            print("  \(name)" + (description.isEmpty ? "" : "  \(description)"))
            do {
                let c = try PCMCapabilities.probe(name, description: description)
                let formats = c.formats.map(\.alsaName).joined(separator: " ")
                print("      rates \(Self.show(c.rates)) Hz, channels \(Self.show(c.channels)), formats \(formats.isEmpty ? "none usable" : formats)")
                print("      period \(Self.show(c.periodSizes)) frames, periods \(Self.show(c.periodCounts))")
            } catch {
                print("      (cannot open: \(error.reason))")
            }
        }
        print("MIDI input sources (--connect):")
        do {
            let sequencer = try Sequencer(clientName: "attacca-devices", portName: "probe")
            let sources = sequencer.ports().filter(\.isSource)
            if sources.isEmpty { print("  none") }
            for port in sources {
                print("  \(port.address)  \(port.clientName): \(port.portName)\(port.isHardware ? "  (hardware: auto-connected)" : "")")
            }
        } catch {
            print("  none: the ALSA sequencer is unavailable (\(error.reason))")
        }
    }

    /// `48000`, `16...8192`, or `16 and up` when the device sets no real limit (plugins report ~2^32).
    static func show(_ range: ClosedRange<Int>) -> String {
        if range.lowerBound == range.upperBound { return "\(range.lowerBound)" }
        if range.upperBound >= 1 << 30 { return "\(range.lowerBound) and up" }
        return "\(range.lowerBound)...\(range.upperBound)"
    }
}
