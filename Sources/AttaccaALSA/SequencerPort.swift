/// A port another client offers, as `attacca devices` lists it.
public struct SequencerPort: Sendable {
    public var address: SequencerAddress
    public var clientName: String
    public var portName: String
    /// Backed by hardware (a USB keyboard, a MIDI interface): the ports auto-connect picks.
    public var isHardware: Bool
    /// Readable and subscribable: can send into Attacca.
    public var isSource: Bool
}
