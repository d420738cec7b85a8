/// A MIDI source going away, as the System Announce port reports it: Attacca's subscription
/// to it removed, its port deleted, or its whole client gone (a USB keyboard unplugged).
public enum SequencerDeparture: Equatable, Sendable, CustomStringConvertible {
    /// The subscription from this port to Attacca's input was removed.
    case unsubscribed(SequencerAddress)
    /// This port was deleted.
    case portExit(SequencerAddress)
    /// This client, with all its ports, exited.
    case clientExit(Int)

    /// Whether `source` is among the ports that went away.
    public func includes(_ source: SequencerAddress) -> Bool {
        switch self {
        case .unsubscribed(let address), .portExit(let address): address == source
        case .clientExit(let client): source.client == client
        }
    }

    public var description: String {
        switch self {
        case .unsubscribed(let address): "\(address) disconnected"
        case .portExit(let address): "\(address) went away"
        case .clientExit(let client): "client \(client) went away"
        }
    }
}
