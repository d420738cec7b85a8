/// Converts ticks to seconds while the tracks are walked in time order: the tempo in effect
/// and where its segment started. Metrical files start at 120 BPM (SMF 1.0 default, 500 000 µs
/// per quarter note); SMPTE-timed files have one fixed rate and ignore tempo events.
struct MidiTempoClock: Sendable {
    static let defaultMicrosecondsPerQuarterNote = 500_000

    /// Ticks per quarter note; nil for SMPTE timing.
    private let resolution: Int?
    private var segmentTick = 0
    private var segmentSeconds = 0.0
    private var secondsPerTick: Double

    init(division: MidiFile.Division) {
        switch division {
        case .smpte:
            resolution = nil
            secondsPerTick = division.smpteSecondsPerTick!
        case let .ticksPerQuarterNote(ticks):
            resolution = ticks
            secondsPerTick = Double(Self.defaultMicrosecondsPerQuarterNote) / (1_000_000 * Double(ticks))
        }
    }

    /// A tempo taking effect at `tick` (at or after every tick seen so far); of several at one
    /// tick the last one wins.
    mutating func apply(tick: Int, microsecondsPerQuarterNote: Int) {
        guard let resolution else { return }
        segmentSeconds += Double(tick - segmentTick) * secondsPerTick
        segmentTick = tick
        secondsPerTick = Double(microsecondsPerQuarterNote) / (1_000_000 * Double(resolution))
    }

    /// Seconds at `tick`, at or after the last tempo applied.
    func seconds(atTick tick: Int) -> Double {
        segmentSeconds + Double(tick - segmentTick) * secondsPerTick
    }
}
