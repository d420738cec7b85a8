/// A generated mono sample before it is stored: float points in -1...1 and, for tonal samples,
/// a loop and the pitch it was made at.
struct SynthesizedSample {
    var name: String
    var points: [Double]
    /// Loop start and end (end = first point after the loop), relative to the first point; nil for one-shots.
    var loop: Range<Int>?
    var originalPitch: Int
    var pitchCorrection: Int
}
