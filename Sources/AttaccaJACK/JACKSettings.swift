/// How `attacca play --driver jack` joins the JACK graph, in FluidSynth's spirit
/// (`audio.jack.id`, `audio.jack.server`, `audio.jack.autoconnect`).
public struct JACKSettings: Equatable, Sendable {
    /// The client's name (JACK adds `-01` when it is taken).
    public var clientName: String
    /// The server's name; nil: `$JACK_DEFAULT_SERVER`, else "default".
    public var server: String?
    /// Connect the two outputs to the first two physical playback ports.
    public var autoConnect: Bool
    /// JACK MIDI output ports (`client:port`) to connect to Attacca's MIDI input.
    public var midiSources: [String]
    /// The port names: `out_L`, `out_R`, `midi_in`.
    public static let leftPort = "out_L", rightPort = "out_R", midiPort = "midi_in"

    public init(clientName: String = "attacca", server: String? = nil, autoConnect: Bool = true, midiSources: [String] = []) {
        self.clientName = clientName
        self.server = server
        self.autoConnect = autoConnect
        self.midiSources = midiSources
    }
}
