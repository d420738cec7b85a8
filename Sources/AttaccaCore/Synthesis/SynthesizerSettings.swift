/// How a `Synthesizer` renders: output rate, voice count, interpolation and output gain.
public struct SynthesizerSettings: Sendable, Equatable {
    /// How sample points are interpolated between stored points.
    public enum Interpolation: Sendable, Equatable {
        /// 4-point cubic (Catmull-Rom, the same polynomial as FluidSynth's 4th-order interpolation).
        case cubic
        /// 2-point linear, cheaper and duller.
        case linear
    }

    /// Output frames per second.
    public var sampleRate: Int = 48000
    /// Voices allocated up front; notes beyond this steal voices.
    public var polyphony: Int = 256
    public var interpolation: Interpolation = .cubic
    /// Largest block the caller renders at once (advisory; any frameCount is accepted).
    public var maximumBlockSize: Int = 4096
    /// Output gain; 1.0 is as loud as FluidSynth with `synth.gain` 1.0.
    public var gain: Float = 1.0

    public init(sampleRate: Int = 48000, polyphony: Int = 256, interpolation: Interpolation = .cubic,
                maximumBlockSize: Int = 4096, gain: Float = 1.0) {
        self.sampleRate = sampleRate
        self.polyphony = polyphony
        self.interpolation = interpolation
        self.maximumBlockSize = maximumBlockSize
        self.gain = gain
    }
}
