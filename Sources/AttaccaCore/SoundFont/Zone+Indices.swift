extension Zone {
    /// The instrument a preset zone names (`generators[.instrument]` read as the unsigned 16-bit
    /// index the file stores), or nil for a zone without one.
    public var instrumentIndex: Int? {
        generators.isSet(.instrument) ? Int(UInt16(bitPattern: generators[.instrument])) : nil
    }

    /// The sample an instrument zone names (`generators[.sampleID]` read as unsigned), or nil.
    public var sampleIndex: Int? {
        generators.isSet(.sampleID) ? Int(UInt16(bitPattern: generators[.sampleID])) : nil
    }
}
