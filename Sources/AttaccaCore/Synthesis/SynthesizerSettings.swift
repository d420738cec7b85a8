/// How a `Synthesizer` renders: output rate, voice count, interpolation, output gain and effects.
public struct SynthesizerSettings: Sendable, Equatable {
    /// How sample points are interpolated between stored points.
    public enum Interpolation: String, Sendable, Hashable, CaseIterable {
        /// 4-point cubic (Catmull-Rom, the same polynomial as FluidSynth's 4th-order interpolation).
        case cubic
        /// 2-point linear, cheaper and duller.
        case linear
        /// The nearest stored point (FluidSynth's "none"): cheapest, aliases audibly.
        case none
        /// 8-point windowed sinc (Kaiser, β = 6) from a precomputed table: the cleanest, for
        /// offline renders (FluidSynth's 7th-order and TiMidity++'s Gauss are in this class).
        case sinc
    }

    /// How pitch controllers and pitches become playback rates.
    public enum PitchArithmetic: Sendable, Equatable {
        /// Pitch wheel sensitivity in exact semitones (the pitch wheel modulator's 12700 cents ×
        /// sensitivity / 127: a 2-semitone range bends 200 cents), pitches to the fraction of a cent.
        case exact
        /// FluidSynth 2.3's: sensitivity normalised by 128 like any 7-bit source (a 2-semitone range
        /// bends 198.4 cents, 12 semitones 1190.6), and each pitch truncated to whole cents before it
        /// becomes a rate (`fluid_ct2hz_real`), 0.5 cent flat on average while a vibrato or a bend
        /// moves it. For comparisons against the fluidsynth engine: notes an octave apart share
        /// partials, so a fraction of a cent changes how they beat within a second.
        case fluidSynth
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
    /// The shortest a note sounds before a note-off releases it (FluidSynth's
    /// `synth.min-note-length`, 10 ms by default): a note-off that comes sooner is held back
    /// until then, so a note-on and its note-off taken in one period (a drum pad, a staccato
    /// key, a player sending both at once) are heard, not released at their first frame.
    /// 0 releases at once.
    public var minimumNoteMilliseconds: Double = 10
    /// Whether the SF2 2.04 section 8.4.2 default modulator "note-on velocity -> initial filter cutoff"
    /// (-2400 cents, switched by velocity >= 64) is applied as the specification writes it.
    ///
    /// Off by default, as in FluidSynth 2.3 (fluid_mod.c, `fluid_mod_get_value`: the modulator, and
    /// any SoundFont modulator with its sources and destination, evaluates to 0): taken literally
    /// it makes velocity 64 suddenly 1200 cents darker than 63 (docs/SOUNDFONT.md). On gives the
    /// literal reading, for fonts voiced against it. Changing it only affects `Synthesizer`s
    /// created afterwards (modulators are compiled into the region table at init).
    public var velocityToFilterModulator: Bool = false
    /// How bank select messages choose banks until a GM/GS/XG reset sysex changes it.
    public var bankSelect: BankSelectStyle = .gs
    /// Which notes glide when portamento (CC65) is on; FluidSynth's default.
    public var portamentoMode: PortamentoMode = .legatoOnly
    /// What legato notes do to the held note's voices; FluidSynth's default.
    public var legatoMode: LegatoMode = .multiRetrigger
    /// Exact by default; `.fluidSynth` to compare like with like against the fluidsynth engine.
    public var pitchArithmetic: PitchArithmetic = .exact
    /// The reverb bus voices feed through SF2 generator 16 (and CC91); on by default, as FluidSynth's.
    public var reverb = ReverbSettings()
    /// The chorus bus voices feed through SF2 generator 15 (and CC93); on by default, as FluidSynth's.
    public var chorus = ChorusSettings()

    /// Both effects off: output as before the effects existed (comparisons against FluidSynth
    /// with its effects off).
    public var withoutEffects: SynthesizerSettings {
        var copy = self
        copy.reverb.isEnabled = false
        copy.chorus.isEnabled = false
        return copy
    }

    public init(sampleRate: Int = 48000, polyphony: Int = 256, interpolation: Interpolation = .cubic,
                maximumBlockSize: Int = 4096, gain: Float = 1.0, velocityToFilterModulator: Bool = false,
                pitchArithmetic: PitchArithmetic = .exact, bankSelect: BankSelectStyle = .gs,
                portamentoMode: PortamentoMode = .legatoOnly, legatoMode: LegatoMode = .multiRetrigger,
                reverb: ReverbSettings = ReverbSettings(), chorus: ChorusSettings = ChorusSettings()) {
        self.bankSelect = bankSelect
        self.portamentoMode = portamentoMode
        self.legatoMode = legatoMode
        self.reverb = reverb
        self.chorus = chorus
        self.velocityToFilterModulator = velocityToFilterModulator
        self.pitchArithmetic = pitchArithmetic
        self.sampleRate = sampleRate
        self.polyphony = polyphony
        self.interpolation = interpolation
        self.maximumBlockSize = maximumBlockSize
        self.gain = gain
    }
}
