import AttaccaCore

/// A non-copyable fake engine that only counts, so it allocates nothing itself: the allocation
/// test then measures the sequencer alone, and the generic `~Copyable` path gets compiled.
struct CountingEngine: ~Copyable, SoundEngine {
    var sampleRate: Int
    var activeVoiceCount = 0
    var framesRendered = 0
    var messagesReceived = 0

    init(sampleRate: Int) { self.sampleRate = sampleRate }

    mutating func send(_ message: MidiMessage) {
        messagesReceived += 1
    }

    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        framesRendered += frameCount
    }
}
