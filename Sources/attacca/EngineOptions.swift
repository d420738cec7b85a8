import ArgumentParser
import AttaccaCore
import AttaccaFluid

/// The options that choose and configure the synthesizer; shared by `render` and `play`.
struct EngineOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "The SoundFont to play (default: the installed Debian GM SoundFont, else Attacca's built-in one).",
        valueName: "path"))
    var soundfont: String?

    @Option(help: "The synthesizer: native or fluidsynth.")
    var engine: EngineKind = .native

    @Option(parsing: .unconditional, help: "Most voices sounding at once (1...4096).")
    var polyphony: Int = 256

    @Option(name: [.short, .long], parsing: .unconditional, help: ArgumentHelp(
        "Output gain, as FluidSynth's synth.gain (0...10; FluidSynth's own default is 0.2).", valueName: "gain"))
    var gain: Float = EngineOptions.defaultGain

    /// Leaves headroom for dense General MIDI files. Measured with FluidR3_GM on
    /// Examples/dense.mid (256 voices): gain 1.0 peaks at +1.2 dBFS with the native engine (clips)
    /// and -0.3 dBFS with FluidSynth; 0.5 peaks at -4.9 and -6.3 dBFS.
    static let defaultGain: Float = 0.5

    func validate() throws {
        if soundfont?.isEmpty == true { throw ValidationError("--soundfont needs a file name") }
        guard (1...4096).contains(polyphony) else {
            throw ValidationError("--polyphony must be between 1 and 4096, not \(polyphony)")
        }
        guard gain.isFinite, (0...10).contains(gain) else {
            throw ValidationError("--gain must be between 0 and 10, not \(gain)")
        }
    }

    /// The SoundFont these options select.
    var soundFontChoice: SoundFontChoice { SoundFontChoice(option: soundfont) }

    /// Builds the chosen engine at `sampleRate` and hands it to `visitor`. Once the SoundFont
    /// has loaded, tells the user on stderr which one plays (a failure is its own single line).
    func withEngine<V: EngineVisitor>(sampleRate: Int, _ visitor: V) throws -> V.Result {
        let choice = soundFontChoice
        switch engine {
        case .native:
            var settings = SynthesizerSettings()
            settings.sampleRate = sampleRate
            settings.polyphony = polyphony
            settings.gain = gain
            let soundFont = try choice.load()
            var synthesizer: Synthesizer
            do {
                synthesizer = try Synthesizer(soundFont: soundFont, settings: settings)
            } catch {
                if case .file(let path, _) = choice { throw CommandFailure("'\(path)': \(error)") }
                throw error
            }
            StandardError.write(choice.announcement)
            return try visitor.visit(&synthesizer)
        case .fluidsynth:
            var fluidSynth = try choice.makeFluidSynthEngine(sampleRate: sampleRate, polyphony: polyphony, gain: gain)
            StandardError.write(choice.announcement)
            return try visitor.visit(&fluidSynth)
        }
    }
}
