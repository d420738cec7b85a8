/// What a test or a diagnostic view can see of one sounding voice.
public struct VoiceSnapshot: Equatable, Sendable {
    public var channel: Int
    /// The MIDI key of the note that started it.
    public var key: Int
    public var velocity: Int
    /// In the release phase (note-off without a pedal holding it, or killed).
    public var isReleased: Bool
    /// Note-off received but held by the sustain or sostenuto pedal.
    public var isSustained: Bool
    public var exclusiveClass: Int
    /// Serial number of the note-on that started it (voices of one note share it).
    public var noteID: UInt64
    /// Its note-off has arrived (it may still sound: a pedal holds it, or it has not yet sounded
    /// the minimum note length).
    public var noteOffReceived: Bool = false
}
