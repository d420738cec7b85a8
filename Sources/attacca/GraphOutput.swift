import AttaccaCore

/// A sound server's output (JACK, PipeWire): the engine plays in the server's callback from
/// `startPlaying` until `stop`, and the server's own MIDI port counts what it brought.
protocol GraphOutput: PlayOutput & ~Copyable {
    var limits: Bool { get set }
    /// Starts the callback with `engine` (which outlives the playing); lines to say.
    mutating func startPlaying<E: SoundEngine & ~Copyable>(engine: UnsafeMutablePointer<E>) throws -> [String]
    var midiReceived: Int { get }
    var midiDropped: Int { get }
}
