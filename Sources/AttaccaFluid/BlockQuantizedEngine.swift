import AttaccaCore

/// Any engine with FluidSynth's event timing: a message sent after `k` frames takes effect at
/// frame ⌈k/64⌉·64, the start of FluidSynth's next 64-frame block (see `FluidSynthEngine`).
///
/// For comparisons only: the native engine places every event at its own frame, and notes an
/// octave apart share partials whose beating depends on when each note started, so a few frames
/// of difference in note-on times change the spectrum of a dense passage (docs/COMPARISON.md).
/// Wrapping the native engine in this compares the synthesis alone. Not for the audio thread:
/// held messages go into an array.
public struct BlockQuantizedEngine<Inner: SoundEngine & ~Copyable>: SoundEngine, ~Copyable {
    /// FluidSynth's block size (FLUID_BUFSIZE).
    public static var blockSize: Int { 64 }

    public var inner: Inner
    /// Messages waiting for the next block start.
    private var pending: [MidiMessage] = []
    /// Frames rendered since creation.
    private var position = 0

    public init(_ inner: consuming Inner) {
        self.inner = inner
        pending.reserveCapacity(256)
    }

    public var sampleRate: Int { inner.sampleRate }
    public var activeVoiceCount: Int { inner.activeVoiceCount }
    public var hasEffects: Bool { inner.hasEffects }

    public mutating func send(_ message: MidiMessage) {
        pending.append(message)
        if position % Self.blockSize == 0 { sendPending() }
    }

    public mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        var done = 0
        while done < frameCount {
            if position % Self.blockSize == 0 { sendPending() }
            let count = min(Self.blockSize - position % Self.blockSize, frameCount - done)
            inner.render(left: left + done, right: right + done, frameCount: count)
            done += count
            position += count
        }
    }

    /// Passes the held messages on, in the order they came.
    private mutating func sendPending() {
        for message in pending { inner.send(message) }
        pending.removeAll(keepingCapacity: true)
    }
}
