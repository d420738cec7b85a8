/// One SF2 modulator record (pmod/imod, section 8.2): source, destination, amount, amount
/// source and transform, kept as the raw 16-bit fields the file stores.
public struct Modulator: Equatable, Sendable {
    /// SFModulator: index (bits 0-6), CC flag (7), direction (8), polarity (9), type (10-15).
    public var source: UInt16
    /// Destination generator (`GeneratorType.rawValue`), or a link to another modulator (bit 15).
    public var destination: UInt16
    public var amount: Int16
    public var amountSource: UInt16
    /// 0 linear, 2 absolute value.
    public var transform: UInt16

    public init(source: UInt16, destination: UInt16, amount: Int16, amountSource: UInt16, transform: UInt16) {
        self.source = source
        self.destination = destination
        self.amount = amount
        self.amountSource = amountSource
        self.transform = transform
    }

    /// Two modulators are identical (and the later one replaces the earlier) when all but the
    /// amount match (SF2 2.04 section 9.5.1).
    public func isIdentical(to other: Modulator) -> Bool {
        source == other.source && destination == other.destination
            && amountSource == other.amountSource && transform == other.transform
    }
}
