import ArgumentParser
import AttaccaCore

/// `--interpolation none|linear|cubic|sinc`.
extension SynthesizerSettings.Interpolation: ExpressibleByArgument {
    /// FluidSynth's `fluid_synth_set_interp_method` number for the same choice: 0 none, 1 linear,
    /// 4 cubic (4th order), 7 (7th order, FluidSynth's highest) for sinc.
    var fluidSynthMethod: Int {
        switch self {
        case .none: 0
        case .linear: 1
        case .cubic: 4
        case .sinc: 7
        }
    }
}
