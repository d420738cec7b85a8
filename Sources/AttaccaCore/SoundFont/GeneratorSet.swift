/// The generator values of one zone: every slot, and which of them the zone sets.
public struct GeneratorSet: Equatable, Sendable {
    /// Raw amounts indexed by `GeneratorType.rawValue`; unset slots hold the SF2 default.
    public private(set) var values: [Int16]
    /// Bit `n` is set when the zone sets generator `n`.
    public private(set) var present: UInt64

    public init() {
        values = GeneratorType.allCases.map(\.defaultValue)
        present = 0
    }

    public subscript(type: GeneratorType) -> Int16 {
        get { values[Int(type.rawValue)] }
        set {
            values[Int(type.rawValue)] = newValue
            present |= 1 << UInt64(type.rawValue)
        }
    }

    public func isSet(_ type: GeneratorType) -> Bool { present & (1 << UInt64(type.rawValue)) != 0 }

    /// Key range (lo byte, hi byte of the keyRange amount).
    public var keyRange: ClosedRange<UInt8> { Self.range(self[.keyRange]) }
    /// Velocity range (lo byte, hi byte of the velRange amount).
    public var velocityRange: ClosedRange<UInt8> { Self.range(self[.velRange]) }

    static func range(_ amount: Int16) -> ClosedRange<UInt8> {
        let bits = UInt16(bitPattern: amount)
        let lo = UInt8(bits & 0xFF), hi = UInt8(bits >> 8)
        return lo <= hi ? lo...hi : hi...lo
    }
}
