extension MidiFile {
    /// The file's channel messages in timeline order (tick, then track, then order in the track),
    /// decoded from the file's bytes as they are asked for: the tracks are merged through a
    /// heap, the tempo applied on the way. Allocates only when made; `next()` allocates nothing.
    /// Copies of one iterator share their position.
    public struct EventIterator: IteratorProtocol, Sendable {
        private let merge: TrackMerge
        private var clock: MidiTempoClock

        init(bytes: [UInt8], readers: [MidiTrackReader], division: Division) {
            merge = TrackMerge(bytes: bytes, readers: readers)
            clock = MidiTempoClock(division: division)
        }

        /// The next item of any track, with its tick and track; tempos included.
        func nextItem() -> (tick: Int, item: MidiTrackReader.Item, track: Int)? { merge.next() }

        /// The next tempo change, with its time (tempo changes only; for `tempoChanges`).
        mutating func nextTempoChange() -> TempoChange? {
            while let (tick, item, _) = merge.next() {
                if case let .tempo(microseconds) = item {
                    clock.apply(tick: tick, microsecondsPerQuarterNote: microseconds)
                    return TempoChange(tick: tick, time: clock.seconds(atTick: tick), microsecondsPerQuarterNote: microseconds)
                }
            }
            return nil
        }

        public mutating func next() -> Event? {
            while let (tick, item, track) = merge.next() {
                switch item {
                case let .tempo(microseconds):
                    clock.apply(tick: tick, microsecondsPerQuarterNote: microseconds)
                case let .message(message):
                    return Event(tick: tick, time: clock.seconds(atTick: tick), message: message, track: track)
                }
            }
            return nil
        }

        /// Seconds at `tick`, once every item before it has been taken (for the file's duration).
        func seconds(atTick tick: Int) -> Double { clock.seconds(atTick: tick) }
    }
}
