import AttaccaALSA

extension AudioSession: PlayOutput where Device == PCM {
    mutating func pollOutput(now: Int64) -> PlayOutputEvent? {
        switch poll(now: now) {
        case .lost(let code)?:
            return .lost(line: "attacca: warning: PCM device '\(configuration.device)' failed: \(PlayJob.reason(code)); "
                + "closed it, trying to reopen it every \(String(format3: Double(retryNanoseconds) / 1e9)) s (Ctrl-C to stop)")
        case .restored(let configuration, let attempts)?:
            return .restored(name: "PCM device '\(configuration.device)'", attempts: attempts, lines: [])
        case .failedAtStart(let code)?:
            return .failedAtStart(code: code)
        case nil:
            return nil
        }
    }

    var hasStopped: Bool { state == .stopped }

    var awayNote: String { "device away" + (lastOpenError.map { ": \($0.description)" } ?? "") }
}
