/// A preset: bank, program, its global zone and its instrument zones.
public struct Preset: Equatable, Sendable {
    public var name: String
    public var bank: Int
    public var program: Int
    public var globalZone: Zone?
    /// Zones that name an instrument; `generators[.instrument]` is a valid index into `SoundFont.instruments`.
    public var zones: [Zone]

    public init(name: String, bank: Int, program: Int, globalZone: Zone? = nil, zones: [Zone] = []) {
        self.name = name
        self.bank = bank
        self.program = program
        self.globalZone = globalZone
        self.zones = zones
    }
}
