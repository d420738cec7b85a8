import AttaccaCore
import AttaccaJACK

extension JACKSession: GraphOutput {
    mutating func pollOutput(now: Int64) -> PlayOutputEvent? {
        switch poll(now: now) {
        case .lost?:
            return .lost(line: "attacca: warning: the JACK server \(serverLabel) shut down; released all notes, "
                + "trying to reconnect every \(String(format3: Double(retryNanoseconds) / 1e9)) s (Ctrl-C to stop)")
        case .restored(let attempts, let connections)?:
            return .restored(name: "JACK server \(serverLabel)", attempts: attempts, lines: connections)
        case nil:
            return nil
        }
    }

    var hasStopped: Bool { state == .stopped }

    var awayNote: String { "JACK server away" + (lastOpenError.map { ": \($0.description)" } ?? "") }

    /// `'name'`, or `(default)`.
    var serverLabel: String { settings.server.map { "'\($0)'" } ?? "(default)" }

    mutating func startPlaying<E: SoundEngine & ~Copyable>(engine: UnsafeMutablePointer<E>) throws -> [String] {
        try start(engine: engine)
    }
}
