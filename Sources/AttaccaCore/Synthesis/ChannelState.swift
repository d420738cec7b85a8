/// Per-channel MIDI state the synthesizer keeps besides the controller array: program, bank,
/// pitch wheel, pressure, pedals, and the registered parameters (pitch-bend range, tuning).
struct ChannelState {
    var program = 0
    var bankMSB = 0
    var bankLSB = 0
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
    /// True after CC98/99 until an RPN is selected: data entry then goes nowhere.
    var nonRegisteredSelected = false
    var sustain = false
    var sostenuto = false
    var soft = false

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
        nonRegisteredSelected = false
        sustain = false
        sostenuto = false
        soft = false
    }
}
