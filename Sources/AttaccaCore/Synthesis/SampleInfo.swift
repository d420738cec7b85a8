/// The parts of a sample header the render path needs, without the name (no `String` may be
/// touched while rendering).
struct SampleInfo {
    var start: Int
    var end: Int
    var loopStart: Int
    var loopEnd: Int
    var sampleRate: Int
    var originalPitch: Int
    var pitchCorrection: Int

    init(_ header: SampleHeader) {
        start = header.start
        end = header.end
        loopStart = header.loopStart
        loopEnd = header.loopEnd
        sampleRate = header.sampleRate
        originalPitch = header.originalPitch
        pitchCorrection = header.pitchCorrection
    }
}
