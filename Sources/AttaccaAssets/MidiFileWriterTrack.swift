import AttaccaCore

extension MidiFileWriter {
    /// One track to write: channel messages and tempo changes at ticks, in any order.
    public struct Track: Sendable {
        /// Written as a Track Name meta event at tick 0.
        public var name: String?
        public var events: [(tick: Int, message: MidiMessage)]
        public var tempoChanges: [(tick: Int, microsecondsPerQuarterNote: Int)]
        /// Tick of End of Track; the last event's tick when nil or earlier.
        public var endTick: Int?

        public init(name: String? = nil, events: [(tick: Int, message: MidiMessage)] = [],
                    tempoChanges: [(tick: Int, microsecondsPerQuarterNote: Int)] = [], endTick: Int? = nil) {
            self.name = name
            self.events = events
            self.tempoChanges = tempoChanges
            self.endTick = endTick
        }

        public mutating func add(_ message: MidiMessage, at tick: Int) {
            events.append((tick, message))
        }

        /// Adds a note-on at `tick` and its note-off `length` ticks later.
        public mutating func addNote(channel: Int, key: Int, velocity: Int, at tick: Int, length: Int) {
            events.append((tick, .noteOn(channel: channel, key: key, velocity: velocity)))
            events.append((tick + length, .noteOff(channel: channel, key: key)))
        }

        /// Adds a Set Tempo event; `beatsPerMinute` is quarter notes per minute.
        public mutating func addTempo(beatsPerMinute: Double, at tick: Int) {
            tempoChanges.append((tick, Int((60_000_000 / beatsPerMinute).rounded())))
        }
    }
}
