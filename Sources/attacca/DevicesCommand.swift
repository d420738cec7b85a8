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

    static func show(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)...\(range.upperBound)"
    }
}
