/// What a legato note (mono mode or legato pedal, the previous note still down) does to the
/// voices of the held note (FluidSynth's `fluid_channel_legato_mode`).
public enum LegatoMode: Sendable, Equatable {
    /// The held note's voices are released; the new note starts its own.
    case retrigger
    /// The held note's voices that can play the new note carry on as it, their envelopes going
    /// back to their attack from where they are (FluidSynth's default).
    case multiRetrigger
}
