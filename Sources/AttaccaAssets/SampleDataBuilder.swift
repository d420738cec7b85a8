/// Collects sample points into one smpl array, following each sample with the 46 zero points
/// SF2 2.04 section 6.1 requires, so `SoundFontWriter` can write the array as it is.
public struct SampleDataBuilder: Sendable {
    /// Zero points after each sample (SF2 2.04 section 6.1: "at least 46").
    public static let paddingCount = 46

    public private(set) var data: [Int16] = []

    public init() {}

    /// Appends a sample and its zero padding; returns where the sample's points are (start..<end
    /// in sample points, as `SampleHeader.start` and `.end` want them).
    @discardableResult
    public mutating func append(_ points: [Int16]) -> Range<Int> {
        let start = data.count
        data.append(contentsOf: points)
        let end = data.count
        data.append(contentsOf: repeatElement(0, count: Self.paddingCount))
        return start..<end
    }
}
