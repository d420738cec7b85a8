/// Plays a `MidiFile` into any `SoundEngine`, sample-accurately: each event reaches the engine
/// at frame `round(time × sampleRate)` from the start, however the caller sizes its blocks.
///
/// The scratch buffer of timed messages is allocated once in `init`; a block with more events
/// than it holds is split at an event's frame, so rendering allocates nothing per block (as long
/// as this value is not copied between blocks, which would copy the buffer on first write).
public struct MidiFileSequencer: Sendable {
    /// How many events the scratch buffer holds; more in one block split the block.
    public static let scratchCapacity = 512

    public let midiFile: MidiFile
    public let sampleRate: Int
    /// Frame of the end of the file (its `duration`, End of Track included).
    public let endFrame: Int
    /// Frames rendered since the start (or the last `reset()`).
    public private(set) var position = 0

    /// The file's events, decoded as they come due (nothing per event is held), and the next
    /// one: its frame from the start and its message.
    private var iterator: MidiFile.EventIterator
    private var upcoming: (frame: Int, message: MidiMessage)?
    private let rate: Double
    private var nextEvent = 0
    private var scratch: [TimedMidiMessage]

    public init(midiFile: MidiFile, sampleRate: Int) {
        rate = Double(max(sampleRate, 1))
        self.midiFile = midiFile
        self.sampleRate = sampleRate
        iterator = midiFile.makeEventIterator()
        endFrame = Self.frame(at: midiFile.duration, rate: rate)
        scratch = Array(repeating: TimedMidiMessage(frame: 0, message: .systemReset),
                        count: max(1, min(midiFile.eventCount, Self.scratchCapacity)))
        upcoming = nil
        takeNext()
    }

    private mutating func takeNext() {
        upcoming = iterator.next().map { (Self.frame(at: $0.time, rate: rate), $0.message) }
    }

    /// `round(seconds × rate)`, capped at 2^52 frames (three thousand years at 48 kHz) so a
    /// hostile file's absurd times cannot overflow `Int`.
    private static func frame(at seconds: Double, rate: Double) -> Int {
        Int(min((seconds * rate).rounded(), 0x10_0000_0000_0000))
    }

    /// True once every event has been sent and `position` has reached `endFrame`.
    public var isFinished: Bool { upcoming == nil && position >= endFrame }

    /// Events sent so far.
    public var eventsSent: Int { nextEvent }

    /// Starts again from the beginning. The engine is not touched: send it
    /// `MidiMessage.systemReset` (or recreate it) to silence what is still sounding.
    public mutating func reset() {
        position = 0
        nextEvent = 0
        iterator = midiFile.makeEventIterator()
        takeNext()
    }

    /// Renders the next `frameCount` frames into `left` and `right`, sending every event due in
    /// them at its own frame. Returns false once the file is finished (`isFinished`); the caller
    /// renders the release tail for as long as it wants by calling the engine directly.
    @discardableResult
    public mutating func render<E: SoundEngine & ~Copyable>(
        _ engine: inout E, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int
    ) -> Bool {
        guard frameCount > 0 else { return !isFinished }
        let blockStart = position
        let blockEnd = position + frameCount
        var start = 0
        repeat {
            var count = 0
            while let event = upcoming, event.frame < blockEnd && count < scratch.count {
                let frame = max(event.frame - blockStart - start, 0)
                scratch[count] = TimedMidiMessage(frame: Int32(clamping: frame), message: event.message)
                count += 1
                nextEvent += 1
                takeNext()
            }
            // The buffer filled up with events still due in this block: stop at the next one.
            var end = frameCount
            if let event = upcoming, event.frame < blockEnd {
                end = max(event.frame - blockStart, start)
            }
            let subStart = start
            scratch.withUnsafeBufferPointer { buffer in
                engine.render(left: left + subStart, right: right + subStart, frameCount: end - subStart,
                              events: UnsafeBufferPointer(rebasing: buffer[0..<count]))
            }
            start = end
        } while start < frameCount
        position = blockEnd
        return !isFinished
    }
}
