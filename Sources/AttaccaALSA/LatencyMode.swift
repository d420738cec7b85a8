/// Where the audio loop places the events it drains inside the period it renders next.
public enum LatencyMode: String, CaseIterable, Sendable {
    /// Every event as early as it can sound: frame 0 of the period rendered now (or its due
    /// frame, for an event stamped later than the drain). Rendered at the wake-up, a note is
    /// heard between one and two periods after it arrives, depending on where in the period it
    /// arrived; with a render lead (`RenderLead`), between the lead and a period plus the lead:
    /// the least latency, with up to one period of jitter.
    case lowest
    /// Every event one period after its arrival: frame (t − (T − period)) × rate, T being the
    /// drain. The time between events is kept exactly (no jitter from the period grid), at the
    /// cost of the latency `lowest` reaches only for notes that arrive just before a drain.
    case constant
}
