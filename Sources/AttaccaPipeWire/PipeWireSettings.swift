/// How `attacca play --driver pipewire` joins the PipeWire graph: the node's name, and the
/// quantum and rate it asks the graph for (`node.latency`, `node.rate`; the graph may run
/// otherwise, and Attacca takes what it runs).
public struct PipeWireSettings: Equatable, Sendable {
    /// `node.name` (and the ports' prefix in `pw-link -io`).
    public var nodeName: String
    /// Frames a cycle asked for (`--period`).
    public var quantum: Int
    /// The rate asked for (`--rate`).
    public var rate: Int
    /// `node.autoconnect`: a session manager (WirePlumber) may link the outputs to the default sink.
    public var autoConnect: Bool
    /// Link the outputs to this node's left and right inputs (`node.name`) ourselves, as pw-link
    /// would: for a graph with no session manager, or to pick the sink. Turns `autoConnect` off.
    public var linkTarget: String?
    /// The port names: `out_L`, `out_R`, `midi_in` (as the JACK client's).
    public static let leftPort = "out_L", rightPort = "out_R", midiPort = "midi_in"

    public init(nodeName: String = "attacca", quantum: Int = 64, rate: Int = 48000, autoConnect: Bool = true,
                linkTarget: String? = nil) {
        self.nodeName = nodeName
        self.quantum = quantum
        self.rate = rate
        self.autoConnect = autoConnect && linkTarget == nil
        self.linkTarget = linkTarget
    }
}
