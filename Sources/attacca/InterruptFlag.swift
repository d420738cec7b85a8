import Glibc

/// Turns SIGINT and SIGTERM into a flag the render loop polls, so an interrupted render stops
/// between blocks and removes its temporary file instead of leaving it behind. SIGXFSZ (file size
/// limit reached) is ignored so the write fails with EFBIG and is reported like a full disk.
enum InterruptFlag {
    nonisolated(unsafe) private static var raised: sig_atomic_t = 0

    static var isRaised: Bool { raised != 0 }

    static func install() {
        raised = 0  // initializes the global before any handler can touch it
        let handler: @convention(c) (Int32) -> Void = { _ in InterruptFlag.raised = 1 }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        signal(SIGXFSZ, SIG_IGN)
        // A parent may have left them blocked (Foundation's Process does): then they would stay
        // pending and Ctrl-C would do nothing.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
