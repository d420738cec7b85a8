import AttaccaCore

/// Collects generated samples into one smpl chunk and its sample headers.
struct SampleDataBuilder {
    /// Zero points after each sample: SF2 2.04 section 7.10 asks for at least 46.
    static let paddingPoints = 46

    let sampleRate: Int
    private(set) var data: [Int16] = []
    private(set) var headers: [SampleHeader] = []

    init(sampleRate: Int) { self.sampleRate = sampleRate }

    /// Stores `sample` as 16-bit points and returns its index in `headers` (the sampleID generator value).
    mutating func add(_ sample: SynthesizedSample) -> Int {
        let start = data.count
        for point in sample.points {
            data.append(Int16((max(-1, min(1, point)) * 32767).rounded()))
        }
        let end = data.count
        data.append(contentsOf: repeatElement(0, count: Self.paddingPoints))
        // One-shots get a loop spanning the whole sample: never played, but inside the bounds.
        let loop = sample.loop.map { (start + $0.lowerBound)..<(start + $0.upperBound) } ?? start..<end
        headers.append(SampleHeader(name: String(sample.name.prefix(19)), start: start, end: end,
                                    loopStart: loop.lowerBound, loopEnd: loop.upperBound, sampleRate: sampleRate,
                                    originalPitch: sample.originalPitch, pitchCorrection: sample.pitchCorrection,
                                    sampleLink: 0, sampleType: 1))
        return headers.count - 1
    }
}
