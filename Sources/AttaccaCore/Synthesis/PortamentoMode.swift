/// Which notes glide when portamento is on (FluidSynth's `fluid_channel_portamento_mode`, set per
/// synthesizer here through `SynthesizerSettings.portamentoMode`).
public enum PortamentoMode: Sendable, Equatable {
    /// Every note glides from the previous one.
    case eachNote
    /// Only a note struck while the previous one is still down (FluidSynth's default).
    case legatoOnly
    /// Only a note struck after the previous one was released.
    case staccatoOnly
}
