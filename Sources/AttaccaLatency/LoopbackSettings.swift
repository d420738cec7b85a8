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
    /// The keys played, in turn (one key: the same note every time).
    public var keys: ClosedRange<Int> = 60...60
    /// A program change sent first (nil: the channel's program as it is).
    public var program: Int?
    /// How the notes are sent (`LoopbackInput`); `rawMidiDevice` for `.rawmidi`.
    public var input: LoopbackInput = .sequencer
    public var rawMidiDevice: String = "hw:VirMIDI,0"
    public var velocity: Int = 127
    public var thresholdDecibels: Double = -60
    /// The plain onset's level, linear (0.003 of full scale, -50.5 dBFS): the first sample above
    /// it, as a simple probe finds a note (`LoopbackNote.levelLatency`).
    public var levelThreshold: Float = 0.003
    /// Silence (`OnsetDetector.silence`) required before each note.
    public var silenceMilliseconds: Int = 100
    /// How long each note is held after its onset (or after the timeout) before its note-off:
    /// 0 releases it as soon as it is heard.
    public var holdMilliseconds: Int = 60
    /// A note not heard within this long counts as not heard (unmeasured).
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

    /// The key of note `index` (0-based): the keys in turn.
    public func key(ofNote index: Int) -> Int {
        keys.lowerBound + index % keys.count
    }
}
