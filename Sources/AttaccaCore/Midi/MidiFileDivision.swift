extension MidiFile {
    /// The header's time division: what one tick is.
    public enum Division: Equatable, Sendable {
        /// Metrical time: ticks per quarter note; tempo events set how long a quarter note is.
        case ticksPerQuarterNote(Int)
        /// Absolute time: `ticksPerFrame` ticks in each SMPTE frame. `framesPerSecond` is 24, 25,
        /// 29 (30 drop frame, 29.97 frames per second) or 30. Tempo events do not apply.
        case smpte(framesPerSecond: Int, ticksPerFrame: Int)

        /// Reads the 16-bit header field (SMF 1.0: a negative high byte selects SMPTE).
        init(field: Int) throws(MidiFileError) {
            if field & 0x8000 == 0 {
                guard field > 0 else { throw .invalidDivision(division: field) }
                self = .ticksPerQuarterNote(field)
            } else {
                let framesPerSecond = 256 - (field >> 8)
                let ticksPerFrame = field & 0xFF
                guard [24, 25, 29, 30].contains(framesPerSecond), ticksPerFrame > 0 else {
                    throw .invalidDivision(division: field)
                }
                self = .smpte(framesPerSecond: framesPerSecond, ticksPerFrame: ticksPerFrame)
            }
        }

        /// Seconds per tick for SMPTE time, nil for metrical time.
        var smpteSecondsPerTick: Double? {
            guard case let .smpte(framesPerSecond, ticksPerFrame) = self else { return nil }
            let frameRate = framesPerSecond == 29 ? 30_000.0 / 1001.0 : Double(framesPerSecond)
            return 1 / (frameRate * Double(ticksPerFrame))
        }
    }
}
