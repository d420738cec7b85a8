/// A progress bar on stderr, redrawn in place; used only when stderr is a terminal.
struct RenderProgressBar {
    let totalSeconds: Double
    private let clock = ContinuousClock()
    private var lastDrawn: ContinuousClock.Instant?
    private static let width = 30
    /// Redraw at most this often: a fast render would otherwise spend its time on the terminal.
    private static let interval = Duration.milliseconds(100)

    init(totalSeconds: Double) {
        self.totalSeconds = totalSeconds
    }

    mutating func update(seconds: Double) {
        let now = clock.now
        if let lastDrawn, lastDrawn.duration(to: now) < Self.interval { return }
        lastDrawn = now
        let fraction = totalSeconds > 0 ? min(max(seconds / totalSeconds, 0), 1) : 1
        let filled = Int(fraction * Double(Self.width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
        let percent = Int(fraction * 100)
        StandardError.writeRaw("\r\u{1B}[2Krendering [\(bar)] \(percent)%  \(Self.format(seconds)) / \(Self.format(totalSeconds)) s")
    }

    /// Erases the bar, leaving the cursor at the start of an empty line.
    func clear() {
        if lastDrawn != nil { StandardError.writeRaw("\r\u{1B}[2K") }
    }

    private static func format(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
