import AttaccaCore
import AttaccaPipeWire

extension PipeWireSession: GraphOutput {
    mutating func pollOutput(now: Int64) -> PlayOutputEvent? {
        switch poll(now: now) {
        case .lost(let reason)?:
            return .lost(line: "attacca: warning: the PipeWire daemon went away (\(reason)); released all notes, "
                + "trying to reconnect every \(String(format3: Double(retryNanoseconds) / 1e9)) s (Ctrl-C to stop)")
        case .restored(let attempts, let lines)?:
            return .restored(name: "PipeWire", attempts: attempts, lines: lines)
        case nil:
            return nil
        }
    }

    var hasStopped: Bool { state == .stopped }

    var awayNote: String { "PipeWire away" + (lastOpenError.map { ": \($0.description)" } ?? "") }

    mutating func startPlaying<E: SoundEngine & ~Copyable>(engine: UnsafeMutablePointer<E>) throws -> [String] {
        try start(engine: engine)
    }
}
