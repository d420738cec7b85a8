import AttaccaALSA

/// The line `play` keeps on stderr: voices, xruns, DSP load of the audio thread (render time
/// over period time, now and the peak since the last update). Redrawn in place on a terminal;
/// elsewhere one line a second.
struct StatusLine {
    let monitor: AudioMonitor
    let ring: EventRing
    let periodNanoseconds: Int
    let inPlace = StandardError.isTerminal
    private var drawn = false

    init(monitor: AudioMonitor, ring: EventRing, periodNanoseconds: Int64) {
        self.monitor = monitor
        self.ring = ring
        self.periodNanoseconds = Int(periodNanoseconds)
    }

    /// Appended to the line while it holds (the device is away).
    var note: String?

    var text: String {
        let load = percent(monitor.renderNanoseconds)
        let peak = percent(monitor.takePeakRenderNanoseconds())
        var line = "voices \(monitor.voices)  xruns \(monitor.xruns)  DSP \(load) (peak \(peak))"
        let lead = monitor.renderLeadNanoseconds
        if lead > 0 && lead < periodNanoseconds { line += "  lead \(lead / 1000) µs" }
        if ring.dropped > 0 { line += "  dropped \(ring.dropped)" }
        if let note { line += "  \(note)" }
        return line
    }

    private func percent(_ nanoseconds: Int) -> String {
        let tenths = nanoseconds * 1000 / max(periodNanoseconds, 1)
        return "\(tenths / 10).\(tenths % 10)%"
    }

    mutating func update() {
        if inPlace {
            StandardError.writeRaw("\r\(text)\u{1B}[K")
            drawn = true
        } else {
            StandardError.write(text)
        }
    }

    /// Ends the in-place line so later output starts on a fresh one.
    mutating func finish() {
        if drawn { StandardError.writeRaw("\n") }
        drawn = false
    }
}
