import Glibc

/// Shows the latency readout's lines: redrawn in place on a terminal (the cursor goes back up
/// over the previous drawing), appended as plain lines elsewhere.
struct LatencyDisplay {
    /// The stream written to: stdout for `attacca latency`, stderr for `attacca play --latency`.
    let stream: UnsafeMutablePointer<FILE>
    let inPlace: Bool
    private var drawnLines = 0

    init(stream: UnsafeMutablePointer<FILE>, inPlace: Bool) {
        self.stream = stream
        self.inPlace = inPlace
    }

    mutating func show(_ lines: [String]) {
        var text = ""
        if inPlace && drawnLines > 0 { text += "\u{1B}[\(drawnLines)A\r" }
        for line in lines { text += inPlace ? line + "\u{1B}[K\n" : line + "\n" }
        // A shorter drawing than the last one: clear what is left below it.
        if inPlace { text += "\u{1B}[J" }
        fputs(text, stream)
        fflush(stream)
        drawnLines = lines.count
    }
}
