import AttaccaCore

/// Collects generated samples into one smpl array (through `SampleDataBuilder`, which adds the
/// 46 zero points SF2 requires after each) and makes their sample headers.
struct SampleBank {
    let sampleRate: Int
    private var builder = SampleDataBuilder()
    private(set) var headers: [SampleHeader] = []

    init(sampleRate: Int) { self.sampleRate = sampleRate }

    var data: [Int16] { builder.data }

    /// Stores `sample` as 16-bit points and returns its index in `headers` (the sampleID generator value).
    mutating func add(_ sample: SynthesizedSample) -> Int {
        let points = sample.points.map { Int16((max(-1, min(1, $0)) * 32767).rounded()) }
        let range = builder.append(points)
        // One-shots get a loop spanning the whole sample: never played, but inside the bounds.
        let loop = sample.loop.map { (range.lowerBound + $0.lowerBound)..<(range.lowerBound + $0.upperBound) } ?? range
        headers.append(SampleHeader(name: String(sample.name.prefix(19)), start: range.lowerBound, end: range.upperBound,
                                    loopStart: loop.lowerBound, loopEnd: loop.upperBound, sampleRate: sampleRate,
                                    originalPitch: sample.originalPitch, pitchCorrection: sample.pitchCorrection,
                                    sampleLink: 0, sampleType: 1))
        return headers.count - 1
    }
}
