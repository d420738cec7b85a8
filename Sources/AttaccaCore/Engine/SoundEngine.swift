/// What the render and live paths need of a synthesizer; the native `Synthesizer` and the
/// FluidSynth engine both conform, so the two can be compared on equal terms.
///
/// Engines are non-copyable: each owns buffers (or a C handle) allocated once at creation.
public protocol SoundEngine: ~Copyable {
    /// Frames per second the engine renders at.
    var sampleRate: Int { get }
    /// Voices sounding now (including voices in their release phase).
    var activeVoiceCount: Int { get }
    /// Reverb or chorus is on, so sound may go on after the last voice has ended (a render's
    /// tail then waits for the output to fall silent).
    var hasEffects: Bool { get }
    /// Applies a message at the current render position.
    mutating func send(_ message: MidiMessage)
    /// Renders `frameCount` frames, overwriting `left` and `right`.
    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int)
}

extension SoundEngine where Self: ~Copyable {
    /// No effects unless the engine says so.
    public var hasEffects: Bool { false }

    /// Renders one block, applying each event at its own frame offset rather than at the block
    /// boundary. `events` must be sorted by `frame`; frames past the block end apply at its end.
    @inlinable
    public mutating func render(
        left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int,
        events: UnsafeBufferPointer<TimedMidiMessage>
    ) {
        var position = 0
        for event in events {
            let frame = min(max(Int(event.frame), position), frameCount)
            if frame > position {
                render(left: left + position, right: right + position, frameCount: frame - position)
                position = frame
            }
            send(event.message)
        }
        if position < frameCount {
            render(left: left + position, right: right + position, frameCount: frameCount - position)
        }
    }
}
