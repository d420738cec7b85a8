extension MidiFile {
    /// A Set Tempo meta event, in effect from `tick` until the next change.
    public struct TempoChange: Equatable, Sendable {
        public var tick: Int
        /// Seconds from the start of the file to `tick`.
        public var time: Double
        /// The event's value: microseconds per quarter note (500 000 is 120 BPM).
        public var microsecondsPerQuarterNote: Int

        public init(tick: Int, time: Double, microsecondsPerQuarterNote: Int) {
            self.tick = tick
            self.time = time
            self.microsecondsPerQuarterNote = microsecondsPerQuarterNote
        }

        /// Quarter notes per minute.
        public var beatsPerMinute: Double { 60_000_000 / Double(microsecondsPerQuarterNote) }
    }
}
