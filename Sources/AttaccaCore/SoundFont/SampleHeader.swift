/// One shdr record. Offsets are in sample points from the start of the smpl chunk.
public struct SampleHeader: Equatable, Sendable {
    public var name: String
    public var start: Int
    public var end: Int
    public var loopStart: Int
    public var loopEnd: Int
    public var sampleRate: Int
    /// MIDI key of the recorded pitch (255 means unpitched: use 60).
    public var originalPitch: Int
    /// Cents to add to the pitch.
    public var pitchCorrection: Int
    public var sampleLink: Int
    /// 1 mono, 2 right, 4 left, 8 linked; 0x8000 bit marks ROM samples.
    public var sampleType: Int

    public init(name: String, start: Int, end: Int, loopStart: Int, loopEnd: Int, sampleRate: Int,
                originalPitch: Int, pitchCorrection: Int, sampleLink: Int, sampleType: Int) {
        self.name = name
        self.start = start
        self.end = end
        self.loopStart = loopStart
        self.loopEnd = loopEnd
        self.sampleRate = sampleRate
        self.originalPitch = originalPitch
        self.pitchCorrection = pitchCorrection
        self.sampleLink = sampleLink
        self.sampleType = sampleType
    }
}
