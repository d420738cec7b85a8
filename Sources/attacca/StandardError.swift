import Glibc

/// Writes lines to stderr unbuffered, so they interleave correctly with the progress bar.
enum StandardError {
    /// Whether stderr is a terminal (only then is a progress bar drawn).
    static let isTerminal = isatty(2) == 1

    static func write(_ line: String) {
        writeRaw(line + "\n")
    }

    /// Writes `text` as it is: no newline added.
    static func writeRaw(_ text: String) {
        fputs(text, stderr)
    }
}
