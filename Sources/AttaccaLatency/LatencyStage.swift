/// The parts a note-on's latency splits into (`LatencyRecord` says how each is measured).
public enum LatencyStage: String, CaseIterable, Codable, Sendable {
    /// From the sequencer's delivery stamp to Attacca reading the event.
    case inputWait = "input wait"
    /// From the read to the audio thread draining the event (waiting for the next period).
    case queueWait = "queue wait"
    /// Rendering, converting and writing the period.
    case render
    /// From the write to the note's frame being heard: the frames queued ahead of it.
    case deviceBuffer = "device buffer"
}
