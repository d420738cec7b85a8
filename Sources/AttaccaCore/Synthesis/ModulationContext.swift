/// The controller values one voice's modulators read: its channel's state, key and velocity.
struct ModulationContext {
    /// The channel's 128 controller values.
    var controllers: UnsafePointer<UInt8>
    /// The channel's 128 polyphonic key pressure values.
    var keyPressure: UnsafePointer<UInt8>
    var pitchBend: Int
    var channelPressure: Int
    /// Pitch wheel sensitivity in semitones (RPN 0, cents as the fraction).
    var pitchWheelSensitivity: Float
    /// What the sensitivity is divided by: 127 for exact semitones, 128 as FluidSynth
    /// (`SynthesizerSettings.PitchArithmetic`).
    var pitchWheelSensitivityRange: Float
    var key: Int
    var velocity: Int
    /// The MIDI key that started the note (poly pressure is looked up by it).
    var noteKey: Int

    @_noLocks
    init(controllers: UnsafePointer<UInt8>, keyPressure: UnsafePointer<UInt8>, pitchBend: Int, channelPressure: Int,
         pitchWheelSensitivity: Float, pitchWheelSensitivityRange: Float = 127, key: Int, velocity: Int, noteKey: Int) {
        self.controllers = controllers
        self.keyPressure = keyPressure
        self.pitchBend = pitchBend
        self.channelPressure = channelPressure
        self.pitchWheelSensitivity = pitchWheelSensitivity
        self.pitchWheelSensitivityRange = pitchWheelSensitivityRange
        self.key = key
        self.velocity = velocity
        self.noteKey = noteKey
    }
}
