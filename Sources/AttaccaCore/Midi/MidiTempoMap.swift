/// Converts ticks to seconds: piecewise linear, one segment per tempo in effect.
///
/// Metrical files start at 120 BPM (SMF 1.0 default, 500 000 µs per quarter note); SMPTE-timed
/// files have one fixed rate and ignore tempo events.
struct MidiTempoMap {
    private struct Segment {
        var tick: Int
        var seconds: Double
        var secondsPerTick: Double
    }

    static let defaultMicrosecondsPerQuarterNote = 500_000

    private var segments: [Segment]

    /// `tempoEvents` must be sorted by tick; of several at one tick the last one wins.
    init(division: MidiFile.Division, tempoEvents: [MidiFileParser.TempoEvent]) {
        switch division {
        case .smpte:
            segments = [Segment(tick: 0, seconds: 0, secondsPerTick: division.smpteSecondsPerTick!)]
        case let .ticksPerQuarterNote(resolution):
            func secondsPerTick(_ microseconds: Int) -> Double { Double(microseconds) / (1_000_000 * Double(resolution)) }
            segments = [Segment(tick: 0, seconds: 0, secondsPerTick: secondsPerTick(Self.defaultMicrosecondsPerQuarterNote))]
            for tempo in tempoEvents {
                let last = segments[segments.count - 1]
                if tempo.tick == last.tick {
                    segments[segments.count - 1].secondsPerTick = secondsPerTick(tempo.microsecondsPerQuarterNote)
                } else {
                    let seconds = last.seconds + Double(tempo.tick - last.tick) * last.secondsPerTick
                    segments.append(Segment(tick: tempo.tick, seconds: seconds, secondsPerTick: secondsPerTick(tempo.microsecondsPerQuarterNote)))
                }
            }
        }
    }

    /// Seconds from the start of the file to `tick`.
    func seconds(atTick tick: Int) -> Double {
        // The last segment starting at or before `tick`.
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segments[middle].tick <= tick { low = middle } else { high = middle - 1 }
        }
        let segment = segments[low]
        return segment.seconds + Double(tick - segment.tick) * segment.secondsPerTick
    }
}
