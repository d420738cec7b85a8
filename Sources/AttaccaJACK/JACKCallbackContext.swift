import AttaccaALSA
import Synchronization

/// What libjack's C callbacks get as their `arg`: the process body (a closure made once, for
/// the engine's type, before activation), the monitor that counts xruns, and the flag the
/// shutdown callback raises. Lives at a fixed address for the client's whole life.
struct JACKCallbackContext: ~Copyable {
    var process: ((UInt32) -> Int32)?
    let monitor: AudioMonitor
    /// Raised by `jack_on_shutdown` (a JACK thread): the server went away.
    let shutDown = Atomic<Bool>(false)

    init(monitor: AudioMonitor) {
        self.monitor = monitor
    }

    static let processCallback: @convention(c) (UInt32, UnsafeMutableRawPointer?) -> Int32 = { frames, context in
        guard let context else { return 0 }
        return context.assumingMemoryBound(to: JACKCallbackContext.self).pointee.process?(frames) ?? 0
    }

    static let xrunCallback: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
        context?.assumingMemoryBound(to: JACKCallbackContext.self).pointee.monitor.recordXrun()
        return 0
    }

    static let shutdownCallback: @convention(c) (UnsafeMutableRawPointer?) -> Void = { context in
        context?.assumingMemoryBound(to: JACKCallbackContext.self).pointee.shutDown.store(true, ordering: .releasing)
    }
}
