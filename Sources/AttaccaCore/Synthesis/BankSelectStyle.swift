/// How CC0 (bank MSB) and CC32 (bank LSB) pick a bank, as FluidSynth's `synth.midi-bank-select`
/// (fluid_chan.c, `fluid_channel_set_bank_msb/lsb`). A GM System On sysex switches to `gm`, a GS
/// Reset to `gs`, an XG System On to `xg`, as in FluidSynth.
public enum BankSelectStyle: String, Sendable, CaseIterable {
    /// Roland GS (FluidSynth's default): the MSB is the bank, the LSB is ignored; drum channels
    /// ignore bank select.
    case gs
    /// General MIDI: bank select is ignored.
    case gm
    /// Yamaha XG: the LSB is the bank; an MSB of 120 or more makes the channel a drum channel,
    /// below 120 a melodic one.
    case xg
    /// MIDI Manufacturers Association: bank = MSB × 128 + LSB.
    case mma
}
