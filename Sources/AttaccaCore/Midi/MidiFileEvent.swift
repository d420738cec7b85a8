extension MidiFile {
    /// One channel message (or a piece of a sysex, `MidiMessage.sysex`) at its place in the merged
    /// timeline. Meta events other than tempo and End of Track do not become events.
    public struct Event: Equatable, Sendable {
        /// Position in ticks from the start of the file.
        public var tick: Int
        /// Position in seconds, with the tempo map applied.
        public var time: Double
        public var message: MidiMessage
        /// Index of the track chunk the event came from (0 is the first MTrk).
        public var track: Int

        public init(tick: Int, time: Double, message: MidiMessage, track: Int) {
            self.tick = tick
            self.time = time
            self.message = message
            self.track = track
        }
    }
}
