import AttaccaCore

/// A fake engine that records each message with the frame it arrived at (frames rendered so
/// far), and writes each frame's absolute index into the output so tests can see every frame
/// of a block was rendered exactly once, in order.
struct RecordingEngine: SoundEngine {
    var sampleRate: Int
    var activeVoiceCount = 0
    var framesRendered = 0
    var received: [(frame: Int, message: MidiMessage)] = []

    init(sampleRate: Int) { self.sampleRate = sampleRate }

    mutating func send(_ message: MidiMessage) {
        received.append((framesRendered, message))
    }

    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        for i in 0..<frameCount {
            left[i] = Float(framesRendered + i)
            right[i] = -Float(framesRendered + i)
        }
        framesRendered += frameCount
    }
}
