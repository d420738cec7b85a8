import Glibc

/// Why the player and `attacca latency` could not talk: one line each.
public enum LatencySocketError: Error, CustomStringConvertible, Equatable {
    /// The socket's directory is not this user's alone (owner, mode, or not a directory).
    case notPrivate(path: String, why: String)
    /// No player is listening for this user.
    case noPlayer(path: String)
    /// Another `attacca play` of this user already serves the socket.
    case busy(path: String)
    /// The other side is not this user.
    case foreignPeer(path: String, uid: UInt32)
    /// A system call failed.
    case system(call: String, code: Int32, path: String)
    /// The answer was not a report.
    case badAnswer(String)

    public var description: String {
        switch self {
        case let .notPrivate(path, why): "'\(path)' is not private to this user (\(why)); remove it or fix its owner and mode"
        case let .noPlayer(path): "no 'attacca play' is running for this user (nothing listens on \(path))"
        case let .busy(path): "another 'attacca play' of this user already reports latency on \(path)"
        case let .foreignPeer(path, uid): "\(path) is served by user \(uid), not by this user"
        case let .system(call, code, path): "\(call) \(path): \(String(cString: strerror(code)))"
        case let .badAnswer(text): "the player answered something that is not a latency report: \(text.prefix(80))"
        }
    }
}
