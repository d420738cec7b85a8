import AttaccaCore

/// An engine that renders a constant and records, in fixed storage, every message with the
/// absolute frame it arrived at, and which keys are held: enough to check event placement and
/// stuck notes without allocating on the render path.
struct RecordingEngine: ~Copyable, SoundEngine {
    let sampleRate: Int
    var level: Float = 0.5
    /// Frames rendered so far: the absolute frame of the next `send`.
    private(set) var position = 0
    let frames: UnsafeMutablePointer<Int>
    let messages: UnsafeMutablePointer<MidiMessage>
    let capacity = 4096
    private(set) var count = 0
    /// 16 × 128 held keys.
    let held: UnsafeMutablePointer<Bool>

    init(sampleRate: Int = 48000) {
        self.sampleRate = sampleRate
        frames = .allocate(capacity: capacity)
        messages = .allocate(capacity: capacity)
        held = .allocate(capacity: 2048)
        held.initialize(repeating: false, count: 2048)
    }

    deinit {
        frames.deallocate()
        messages.deallocate()
        held.deallocate()
    }

    private(set) var activeVoiceCount = 0

    mutating func send(_ message: MidiMessage) {
        if count < capacity {
            frames[count] = position
            messages[count] = message
            count += 1
        }
        let key = message.channel * 128 + Int(message.data1)
        switch message.kind {
        case .noteOn: hold(key, message.data2 > 0)
        case .noteOff: hold(key, false)
        case .controlChange where message.data1 == 120 || message.data1 == 123:
            for k in 0..<128 { hold(message.channel * 128 + k, false) }
        default: break
        }
    }

    private mutating func hold(_ key: Int, _ down: Bool) {
        if held[key] != down { activeVoiceCount += down ? 1 : -1 }
        held[key] = down
    }

    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        left.update(repeating: level, count: frameCount)
        right.update(repeating: -level, count: frameCount)
        position += frameCount
    }

    /// The recorded (frame, message) pairs.
    var recorded: [(frame: Int, message: MidiMessage)] { (0..<count).map { (frames[$0], messages[$0]) } }
}
