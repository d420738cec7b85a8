/// A message and the frame, inside the block being rendered, where it takes effect.
@frozen
public struct TimedMidiMessage: Equatable, Sendable {
    /// Frame offset from the start of the block, 0 ..< frameCount.
    public var frame: Int32
    public var message: MidiMessage

    @inlinable
    public init(frame: Int32, message: MidiMessage) {
        self.frame = frame
        self.message = message
    }
}
