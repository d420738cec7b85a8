import AttaccaCore

/// Explicit velocity-to-brightness modulators.
///
/// SF2's default modulator 8.4.2 (velocity → filter cutoff) is ill-defined, and FluidSynth 2.x
/// deliberately evaluates it to 0, so a font cannot rely on it. These use a different source
/// shape (no secondary switch source), so players treat them as ordinary modulators, not as an
/// override of the default, and apply them.
enum VelocityModulators {
    /// SFModulator source: MIDI note-on velocity (index 2), general controller, unipolar,
    /// negative direction (bit 8: 127 maps to 0, 0 maps to 1), linear.
    static let negativeVelocity: UInt16 = 2 | 1 << 8

    /// Softer notes are darker: lowers initialFilterFc by up to `cents` as velocity falls to 0.
    static func filterCutoff(cents: Int16) -> Modulator {
        Modulator(source: negativeVelocity, destination: GeneratorType.initialFilterFc.rawValue,
                  amount: -cents, amountSource: 0, transform: 0)
    }
}
