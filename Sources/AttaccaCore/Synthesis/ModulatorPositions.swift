/// Where each modulator identity (SF2 2.04 9.5.1) sits in a list being merged: a linear search
/// for short lists, a dictionary once a list grows, so a zone of thousands of modulators costs
/// linear, not quadratic, time at load.
struct ModulatorPositions {
    private var index: [UInt64: Int]?

    init(_ list: [CompiledModulator]) {
        if list.count > 32 { index = Self.indexing(list) }
    }

    private static func key(_ m: CompiledModulator) -> UInt64 {
        UInt64(m.source) | UInt64(m.amountSource) << 16 | UInt64(UInt16(truncatingIfNeeded: m.destination)) << 32
            | (m.absoluteValue ? 1 << 48 : 0)
    }

    private static func indexing(_ list: [CompiledModulator]) -> [UInt64: Int] {
        var index: [UInt64: Int] = [:]
        for (i, m) in list.enumerated() where index[key(m)] == nil { index[key(m)] = i }
        return index
    }

    mutating func find(_ m: CompiledModulator, in list: [CompiledModulator]) -> Int? {
        if let index { return index[Self.key(m)] }
        if list.count > 32 {
            index = Self.indexing(list)
            return index?[Self.key(m)]
        }
        return list.firstIndex { $0.isIdentical(to: m) }
    }

    mutating func insert(_ m: CompiledModulator, at position: Int) {
        if index != nil, index?[Self.key(m)] == nil { index?[Self.key(m)] = position }
    }
}
