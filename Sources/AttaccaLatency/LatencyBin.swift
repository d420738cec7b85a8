/// One bar of the latency histogram drawn in the terminal and in the SVG plot: the notes
/// whose total latency lies in [from, to) milliseconds.
public struct LatencyBin: Codable, Equatable, Sendable {
    public var from: Double
    public var to: Double
    public var count: Int

    public init(from: Double, to: Double, count: Int) {
        self.from = from
        self.to = to
        self.count = count
    }
}
