/// What `attacca latency --loopback` measures and how.
public struct LoopbackSettings: Sendable {
    /// The synthesizer's sequencer port (`Attacca`, `FLUID Synth`, `128:0`).
    public var target: String
    /// The capture device its output reaches (`hw:Loopback,1,0`).
    public var capture: String
    public var rate: Int
    /// Capture period: on snd-aloop clocked by a timer source, the clock's period.
    public var periodSize: Int
    /// The target's period settings, for the floor the report states (not measured).
    public var targetPeriodSize: Int
    public var targetPeriodCount: Int
    public var notes: Int
    public var channel: Int = 0
    public var key: Int = 60
    public var velocity: Int = 127
    public var thresholdDecibels: Double = -60
    /// Silence (`OnsetDetector.silence`) required before each note.
    public var silenceMilliseconds: Int = 100
    /// How long each note is held before its note-off.
    public var holdMilliseconds: Int = 60
    /// A note not heard within this long counts as unmeasured.
    public var timeoutMilliseconds: Int = 1000

    public init(target: String, capture: String, rate: Int, periodSize: Int, targetPeriodSize: Int, targetPeriodCount: Int, notes: Int) {
        self.target = target
        self.capture = capture
        self.rate = rate
        self.periodSize = periodSize
        self.targetPeriodSize = targetPeriodSize
        self.targetPeriodCount = targetPeriodCount
        self.notes = notes
    }
}
