/// Why a FluidSynth engine could not be created. Each case reads as one line for the user.
public enum FluidSynthError: Error, Equatable, CustomStringConvertible {
    /// `new_fluid_settings` or `new_fluid_synth` returned NULL (out of memory, usually).
    case creationFailed(String)
    /// FluidSynth rejected a setting; `value` is out of the range it accepts.
    case invalidSetting(name: String, value: String, range: String?)
    /// `fluid_synth_sfload` failed; `reason` is FluidSynth's own first error message, if any.
    case soundFontLoadFailed(path: String, reason: String?)
    /// libfluidsynth could not be opened (it is loaded at run time); `reason` is the loader's.
    case libraryUnavailable(String)

    public var description: String {
        switch self {
        case .creationFailed(let what):
            return "FluidSynth could not create its \(what)"
        case .invalidSetting(let name, let value, let range):
            let accepted = range.map { " (FluidSynth accepts \($0))" } ?? ""
            return "FluidSynth rejected \(name) = \(value)\(accepted)"
        case .libraryUnavailable(let reason):
            return "the fluidsynth engine needs libfluidsynth 2 (Debian: apt install libfluidsynth3): \(reason)"
        case .soundFontLoadFailed(let path, let reason):
            return "FluidSynth could not load SoundFont '\(path)'" + (reason.map { ": \($0)" } ?? "")
        }
    }
}
