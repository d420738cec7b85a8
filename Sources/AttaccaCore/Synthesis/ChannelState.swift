/// Per-channel MIDI state the synthesizer keeps besides the controller array: program, bank,
/// pitch wheel, pressure, pedals, and the registered parameters (pitch-bend range, tuning).
struct ChannelState {
    var program = 0
    /// The bank the next program change selects, from CC0/CC32 as the bank-select style reads them.
    var bank = 0
    /// Index into the SoundFont's presets, or -1 when no preset sounds.
    var presetIndex = -1
    var isPercussion = false
    /// 0...16383, 8192 is centre.
    var pitchBend = 8192
    var channelPressure = 0
    var pitchBendRangeSemitones = 2
    var pitchBendRangeCents = 0
    /// RPN 1, 14 bits, 8192 is no change (±100 cents).
    var fineTuning = 8192
    /// RPN 2 MSB, 64 is no change (semitones).
    var coarseTuning = 64
    /// Selected RPN (MSB << 7 | LSB); 0x3FFF is none.
    var registeredParameter = 0x3FFF
    var sustain = false
    var sostenuto = false
    var soft = false

    // MIDI Tuning Standard: RPN 4 (tuning bank) and RPN 3 (tuning program) pick a tuning.
    var tuningBank = 0
    var tuningProgram = 0
    /// Slot of the active tuning in the synthesizer's tuning store, or -1 for equal temperament.
    var tuningSlot = -1

    // NRPN: FluidSynth's `nrpn_active` and `nrpn_select` (SF2 2.04 section 9.6 generator number).
    var nrpnActive = false
    var nrpnSelect = 0

    // Mono/poly and legato (FluidSynth's monophonic list, fluid_synth_monopoly.c).
    /// CC126 (mono on) until CC127 (poly on).
    var isMono = false
    /// The most recent note before the last one (FluidSynth's `prev_note`), -1 for none.
    var previousNote = -1
    /// A note was still down when the last one started (FluidSynth's FLUID_CHANNEL_LEGATO_PLAYING).
    var isLegatoPlaying = false
    /// Keys held, oldest first, in the synthesizer's mono list (at most `Synthesizer.monoListSize`).
    var monoCount = 0
    /// The key whose mono voices the sustain or sostenuto pedal held at its note-off, -1 for none.
    var monoSustainedKey = -1
    /// 0 each note, 1 legato only (FluidSynth's default), 2 staccato only (`PortamentoMode`).
    var portamentoMode = 1
    /// 0 retrigger, 1 multi-retrigger (FluidSynth's default) (`LegatoMode`).
    var legatoMode = 1


    /// RPN 1 and 2 together, in cents.
    @_noLocks
    func tuningCents() -> Double {
        Double(coarseTuning - 64) * 100 + Double(fineTuning - 8192) / 8192 * 100
    }

    /// Pitch wheel sensitivity in semitones (RPN 0 MSB plus LSB cents).
    @_noLocks
    func pitchWheelSensitivity() -> Float {
        Float(pitchBendRangeSemitones) + Float(pitchBendRangeCents) / 100
    }

    /// The power-on state; channel index 9 is the GM percussion channel.
    @_noLocks
    init(channel: Int) {
        isPercussion = channel == 9
    }

    /// What "reset all controllers" (CC121) restores here: wheel, pressure, pedals, RPN selection.
    @_noLocks
    mutating func resetControllers() {
        pitchBend = 8192
        channelPressure = 0
        registeredParameter = 0x3FFF
        sustain = false
        sostenuto = false
        soft = false
        nrpnActive = false
        nrpnSelect = 0
    }
}
