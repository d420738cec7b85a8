import Glibc

/// Turns the signals that end a session (INT, TERM, HUP: the terminal went away, QUIT, PIPE: a
/// reader of our output went away) into a flag the render and play loops poll, so the process
/// stops between blocks and removes its temporary file instead of leaving hundreds of MB
/// behind. SIGXFSZ (file size limit reached) is ignored so the write fails with EFBIG and is
/// reported like a full disk.
enum InterruptFlag {
    nonisolated(unsafe) private static var raised: sig_atomic_t = 0

    /// The signals handled.
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE]

    static var isRaised: Bool { raised != 0 }

    /// The signal that raised the flag (0 if none).
    static var signalNumber: Int32 { Int32(raised) }

    static func install() {
        raised = 0  // initializes the global before any handler can touch it
        let handler: @convention(c) (Int32) -> Void = { number in
            if InterruptFlag.raised == 0 { InterruptFlag.raised = sig_atomic_t(number) }  // the first one counts
        }
        for number in stopSignals { signal(number, handler) }
        signal(SIGXFSZ, SIG_IGN)
        // A parent may have left them blocked (Foundation's Process does): then they would stay
        // pending and Ctrl-C would do nothing.
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in stopSignals { sigaddset(&signals, number) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
