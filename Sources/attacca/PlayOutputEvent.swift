/// What a `PlayOutput` reports to the player's loop, each once.
enum PlayOutputEvent {
    /// The output went away: `line` says so (and how it is being brought back).
    case lost(line: String)
    /// It plays again: `name` ("PCM device 'hw:1,0'", "JACK server 'default'"), the opens it
    /// took, and lines about what was connected.
    case restored(name: String, attempts: Int, lines: [String])
    /// It failed before it ever played (a configuration refused, not an output that went away).
    case failedAtStart(code: Int32)
}
