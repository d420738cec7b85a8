/// How long before the device needs the next period the audio loop takes its events and
/// renders it (`lowest` latency mode only).
///
/// The device wakes the loop when a period is free, but the period written then is not heard
/// before the one still queued has played: one period later. Rendering straight away (`off`)
/// makes every note wait for that period on top of the wait for the wake-up, 1.5 periods on
/// average. Sleeping until `lead` before the device's clock says the next frame is needed
/// (htstamp + delay / rate), and only then taking the events, lets the notes that arrive in
/// the meantime into the period: on average half a period plus the lead. The cost is the
/// margin against an underrun, which shrinks from about a period to the lead less the
/// render time; so `auto` measures it (below) and backs off after an xrun. With more than
/// two periods the next frame is needed more than a period after the wake-up, and the loop
/// does not sleep that long (it would miss the next wake-up): the lead applies to two periods.
public enum RenderLead: Equatable, Sendable {
    /// Render as soon as the device has room (one period of margin).
    case off
    /// Twice the longest recent cycle (take the events, render, convert, write), room for 32
    /// more voices at the longest recent cost per voice, the longest recent oversleep, and a
    /// safety margin that starts at `autoSafetyNanoseconds` and doubles after each xrun; at
    /// most a period (which is `off`).
    case auto
    /// A fixed lead, in nanoseconds (at most a period is used).
    case fixed(nanoseconds: Int64)

    /// `auto`'s first safety margin: 100 µs.
    public static var autoSafetyNanoseconds: Int64 { 100_000 }
    /// Voices `auto` keeps room for beyond the ones sounding: a chord struck at once.
    public static var autoHeadroomVoices: Int64 { 32 }

    /// `off`, `auto`, or a number of microseconds.
    public init?(argument: String) {
        switch argument {
        case "off": self = .off
        case "auto": self = .auto
        default:
            guard let microseconds = Int64(argument), microseconds >= 0, microseconds <= 1_000_000 else { return nil }
            self = microseconds == 0 ? .off : .fixed(nanoseconds: microseconds * 1000)
        }
    }

    /// As `init(argument:)` takes it.
    public var argument: String {
        switch self {
        case .off: "off"
        case .auto: "auto"
        case .fixed(let nanoseconds): "\(nanoseconds / 1000)"
        }
    }
}
