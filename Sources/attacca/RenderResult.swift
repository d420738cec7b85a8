import Foundation

/// What a finished render reports in its summary line.
struct RenderResult {
    let outputPath: String
    let frameCount: Int
    let sampleRate: Int
    /// Largest absolute sample before conversion to the file's format.
    let peak: Float
    let mostVoices: Int
    let elapsedSeconds: Double

    var durationSeconds: Double { Double(frameCount) / Double(sampleRate) }

    /// Peak level in dB relative to full scale; -infinity for silence.
    var peakDecibels: Double { 20 * log10(Double(peak)) }

    /// `rendered out.wav: 12.34 s, 48000 Hz, peak -3.2 dBFS, 87 voices at most, 41.2x real time`
    var summary: String {
        let level = peak > 0 ? String(format: "%.1f dBFS", peakDecibels) : "-inf dBFS (silent)"
        let clipped = peak > 1 ? " (clipped)" : ""
        let speed = elapsedSeconds > 0 ? String(format: "%.1fx", durationSeconds / elapsedSeconds) : "inf"
        return "rendered \(outputPath): " + String(format: "%.2f s", durationSeconds) +
            ", \(sampleRate) Hz, peak \(level)\(clipped), \(mostVoices) voices at most, \(speed) real time"
    }
}
