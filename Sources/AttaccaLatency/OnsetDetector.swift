/// Finds where a note starts in captured audio that was silent before it: the first sample
/// whose magnitude reaches `threshold`, walked back (at most `maximumWalkBack` frames) to the
/// first sample after the last exact zero, or when the floor is not digital silence, after the
/// last sample no louder than `silence`, since a synthesizer's note begins as a small value
/// growing through its attack. `silence` is one 16-bit step, so 16-bit dither (FluidSynth's S16
/// output) counts as silence too when waiting for a note to die.
/// Also counts the silent frames at the end of what it has seen, for waiting until a note died.
public struct OnsetDetector: Sendable {
    /// Linear magnitude, 0...1 of full scale.
    public let threshold: Float
    public let maximumWalkBack: Int
    /// The largest magnitude that is still silence: one step of 16-bit audio.
    public static let silence: Float = 1.0 / 32768
    /// The last frames seen (for the walk back), and the stream index of the first of them.
    private var recent: [Float] = []
    private var recentStart: Int64 = 0
    private var armed = false
    /// Frames at the end of the stream below `threshold`, and silent (see `silence`).
    public private(set) var quietFrames: Int64 = 0
    public private(set) var silentFrames: Int64 = 0

    public init(thresholdDecibels: Double = -60, maximumWalkBack: Int = 480) {
        var value = 1.0
        // 10^(dB/20) without Foundation's pow: repeated scaling is exact enough for a threshold.
        var remaining = thresholdDecibels
        while remaining <= -20 { value /= 10; remaining += 20 }
        while remaining < 0 { value /= 1.122018454; remaining += 1 }
        threshold = Float(value)
        self.maximumWalkBack = maximumWalkBack
    }

    /// Look for the next onset from here on.
    public mutating func arm() { armed = true }

    /// Forgets what was seen (after an overrun the stream index jumps).
    public mutating func restart(at index: Int64) {
        recent.removeAll(keepingCapacity: true)
        recentStart = index
        quietFrames = 0
        silentFrames = 0
        armed = false
    }

    /// Where the note that crosses the threshold at `index` (in `recent`) began: back to the
    /// last exact zero (digital silence) when there is one within `maximumWalkBack`, else (a
    /// dithered or noisy floor) to the last sample no louder than `silence`.
    private func walkBack(from index: Int) -> Int {
        let limit = max(0, index - maximumWalkBack)
        var start = index
        while start > limit && recent[start - 1] != 0 { start -= 1 }
        if start > limit || (start == 0 && recentStart == 0) { return start }
        start = index
        while start > limit && abs(recent[start - 1]) > Self.silence { start -= 1 }
        return start
    }

    /// Takes the next `samples` (stream index `index` for the first); returns the onset's stream
    /// index when armed and it is in them (then disarms).
    public mutating func append(_ samples: UnsafeBufferPointer<Float>, startingAt index: Int64) -> Int64? {
        if recent.isEmpty || recentStart + Int64(recent.count) != index {
            recent.removeAll(keepingCapacity: true)
            recentStart = index
        }
        let offset = recent.count
        recent.append(contentsOf: samples)
        var found: Int64?
        for (position, sample) in samples.enumerated() {
            let magnitude = abs(sample)
            quietFrames = magnitude < threshold ? quietFrames + 1 : 0
            silentFrames = magnitude <= Self.silence ? silentFrames + 1 : 0
            if armed && found == nil && magnitude >= threshold {
                found = recentStart + Int64(walkBack(from: offset + position))
                armed = false
            }
        }
        // Keep a walk back's worth (and a bit) of history.
        let keep = maximumWalkBack + samples.count
        if recent.count > 4 * keep {
            let drop = recent.count - keep
            recent.removeFirst(drop)
            recentStart += Int64(drop)
        }
        return found
    }
}
