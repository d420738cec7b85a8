/// One playable region of a preset: a preset zone crossed with an instrument zone, with the key
/// and velocity ranges intersected and generators and modulators already merged (SF2 2.04 9.4,
/// 9.5). Note-on only filters regions by key and velocity; it never merges or allocates.
struct Region {
    var keyLow: UInt8
    var keyHigh: UInt8
    var velocityLow: UInt8
    var velocityHigh: UInt8
    /// Index into `RegionTable.samples`.
    var sampleIndex: Int
    /// Index of the region's first generator value in `RegionTable.generators` (61 per region).
    var generatorOffset: Int
    var modulatorOffset: Int
    var modulatorCount: Int

    @_noLocks
    @inline(__always)
    func contains(key: Int, velocity: Int) -> Bool {
        key >= Int(keyLow) && key <= Int(keyHigh) && velocity >= Int(velocityLow) && velocity <= Int(velocityHigh)
    }
}
