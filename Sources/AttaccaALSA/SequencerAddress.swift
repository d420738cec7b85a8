import CALSA

/// A sequencer port, `client:port` as `aconnect -l` shows it.
public struct SequencerAddress: Hashable, Sendable, CustomStringConvertible {
    public var client: Int
    public var port: Int

    public init(client: Int, port: Int) {
        self.client = client
        self.port = port
    }

    public var description: String { "\(client):\(port)" }

    /// The System Announce port, where the kernel reports clients and ports coming and going.
    public static let systemAnnounce = SequencerAddress(client: Int(SND_SEQ_CLIENT_SYSTEM), port: Int(SND_SEQ_PORT_SYSTEM_ANNOUNCE))
}
