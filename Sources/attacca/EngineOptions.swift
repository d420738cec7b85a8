import ArgumentParser
import AttaccaCore
import AttaccaFluid

/// The options that choose and configure the synthesizer; shared by `render` and `play`.
struct EngineOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "The SoundFont to play (default: the installed Debian GM SoundFont, else Attacca's built-in one). Repeat to stack fonts as fluidsynth does: the last given is on top, each bank/program comes from the topmost font that has it. FILE@N adds N to that font's banks (bank offset).",
        valueName: "path"))
    var soundfont: [String] = []

    @Option(help: "The synthesizer: native or fluidsynth.")
    var engine: EngineKind = .native

    @Option(parsing: .unconditional, help: "Most voices sounding at once (1...4096).")
    var polyphony: Int = 256

    @Option(name: [.short, .long], parsing: .unconditional, help: ArgumentHelp(
        "Output gain, as FluidSynth's synth.gain (0...10; FluidSynth's own default is 0.2).", valueName: "gain"))
    var gain: Float = EngineOptions.defaultGain

    @Option(name: .customLong("bank-select"), help: ArgumentHelp(
        "How bank select (CC0, CC32) picks banks, as FluidSynth's synth.midi-bank-select: gs, gm, xg or mma. A GM, GS or XG reset sysex switches it.",
        valueName: "style"))
    var bankSelect: BankSelectStyle = .gs

    @Option(help: ArgumentHelp(
        "How sample points are interpolated: none (nearest), linear, cubic (4-point) or sinc (8-point windowed sinc, cleanest, for offline renders). FluidSynth: 0, 1, 4 or 7th order.",
        valueName: "method"))
    var interpolation: SynthesizerSettings.Interpolation = .cubic

    @Option(help: ArgumentHelp(
        "on: a peak limiter keeps the output below -0.1 dBFS (instant cut, 100 ms recovery; transparent below it); off: loud passages clip.",
        valueName: "on|off"))
    var limiter: Switch = .on

    /// Leaves headroom for dense General MIDI files. Measured with FluidR3_GM on
    /// Examples/dense.mid (256 voices): gain 1.0 peaks at +1.2 dBFS with the native engine (clips)
    /// and -0.3 dBFS with FluidSynth; 0.5 peaks at -4.9 and -6.3 dBFS.
    static let defaultGain: Float = 0.5

    @OptionGroup(title: "Effects") var effects: EffectsOptions

    func validate() throws {
        if soundfont.contains(where: { SoundFontChoice.StackedSoundFont(option: $0).path.isEmpty }) {
            throw ValidationError("--soundfont needs a file name")
        }
        guard (1...4096).contains(polyphony) else {
            throw ValidationError("--polyphony must be between 1 and 4096, not \(polyphony)")
        }
        guard gain.isFinite, (0...10).contains(gain) else {
            throw ValidationError("--gain must be between 0 and 10, not \(gain)")
        }
    }

    /// Whether the limit `error` names grows with the sample data (`RegionTable.regionLimit`).
    static func dependsOnSampleData(_ error: SynthesizerError) -> Bool {
        switch error {
        case .tooManyRegions, .tooManyModulators: true
        default: false
        }
    }

    /// The SoundFont these options select.
    var soundFontChoice: SoundFontChoice { SoundFontChoice(options: soundfont) }

    /// Builds the chosen engine at `sampleRate` and hands it to `visitor`. Once the SoundFont
    /// has loaded, tells the user on stderr which one plays (a failure is its own single line).
    ///
    /// `programs` (offline renders: the MIDI file's `selectablePrograms`) lets an SF3 decode only
    /// the samples those programs reach; should the smaller font fall under the synthesizer's
    /// size-bounded limits, the whole font is decoded instead.
    func withEngine<V: EngineVisitor>(sampleRate: Int, programs: Set<Int>? = nil, _ visitor: V) throws -> V.Result {
        let choice = soundFontChoice
        switch engine {
        case .native:
            var settings = SynthesizerSettings()
            settings.sampleRate = sampleRate
            settings.polyphony = polyphony
            settings.gain = gain
            settings.bankSelect = bankSelect
            settings.reverb = effects.reverbSettings
            settings.chorus = effects.chorusSettings
            settings.interpolation = interpolation
            /// The error naming the file, when it is one.
            func named(_ error: SynthesizerError) -> Error {
                if case .file(let path, _) = choice { return CommandFailure("'\(path)': \(error)") }
                return error
            }
            var synthesizer: Synthesizer
            do {
                synthesizer = try Synthesizer(soundFont: try choice.load(programs: programs), settings: settings)
            } catch let error as SynthesizerError {
                guard programs != nil, Self.dependsOnSampleData(error) else { throw named(error) }
                // The limits grow with the sample data, which a partial SF3 decode shrinks.
                do {
                    synthesizer = try Synthesizer(soundFont: try choice.load(), settings: settings)
                } catch let error as SynthesizerError {
                    throw named(error)
                }
            }
            StandardError.write(choice.announcement)
            return try visitor.visit(&synthesizer)
        case .fluidsynth:
            var fluidSynth = try choice.makeFluidSynthEngine(sampleRate: sampleRate, polyphony: polyphony, gain: gain,
                                                             reverb: effects.reverbSettings, chorus: effects.chorusSettings,
                                                             bankSelect: bankSelect.rawValue,
                                                             interpolation: interpolation.fluidSynthMethod)
            StandardError.write(choice.announcement)
            return try visitor.visit(&fluidSynth)
        }
    }
}
