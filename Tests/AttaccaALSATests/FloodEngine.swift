import AttaccaCore

/// The native synthesizer with a tally of what reaches it: note-ons, note-offs, and, per
/// channel and key, whether the last message was a note-on (the key is "down" as far as the
/// engine was told). Fixed storage, so the audio loop still allocates nothing.
struct FloodEngine: ~Copyable, SoundEngine {
    var synthesizer: Synthesizer
    private(set) var noteOns = 0
    private(set) var noteOffs = 0
    private(set) var others = 0
    /// Keys whose last message was a note-on.
    private(set) var keysDown = 0
    private let down: UnsafeMutablePointer<Bool>

    init(synthesizer: consuming Synthesizer) {
        self.synthesizer = synthesizer
        down = .allocate(capacity: 16 * 128)
        down.initialize(repeating: false, count: 16 * 128)
    }

    deinit { down.deallocate() }

    var sampleRate: Int { synthesizer.sampleRate }
    var activeVoiceCount: Int { synthesizer.activeVoiceCount }

    mutating func send(_ message: MidiMessage) {
        let key = message.channel * 128 + Int(message.data1)
        switch message.kind {
        case .noteOn where message.data2 > 0:
            noteOns += 1
            if !down[key] { keysDown += 1 }
            down[key] = true
        case .noteOn, .noteOff:
            noteOffs += 1
            if down[key] { keysDown -= 1 }
            down[key] = false
        default:
            others += 1
        }
        synthesizer.send(message)
    }

    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        synthesizer.render(left: left, right: right, frameCount: frameCount)
    }
}
