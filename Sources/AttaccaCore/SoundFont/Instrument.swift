/// An instrument: its global zone (if the file has one) and its sample zones.
public struct Instrument: Equatable, Sendable {
    public var name: String
    public var globalZone: Zone?
    /// Zones that name a sample; `generators[.sampleID]` is a valid index into `SoundFont.samples`.
    public var zones: [Zone]

    public init(name: String, globalZone: Zone? = nil, zones: [Zone] = []) {
        self.name = name
        self.globalZone = globalZone
        self.zones = zones
    }
}
