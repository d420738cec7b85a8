import Glibc

/// A thread for the audio loop: `SCHED_FIFO` at the given priority when the system allows it,
/// otherwise an ordinary thread (and `realtimeRefusal` says why, for the one-time warning).
public struct AudioThread: ~Copyable {
    private let thread: pthread_t
    private var joined = false
    /// nil when the thread runs under SCHED_FIFO; else the errno text of the refusal.
    public let realtimeRefusal: String?

    /// The closure the new thread runs once; boxed to cross `pthread_create`.
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread. `priority` nil asks for an ordinary thread.
    public init(priority: Int32?, stackSize: Int = 1 << 20, _ body: @escaping () -> Void) throws(ThreadError) {
        var refusal: String? = priority == nil ? "not asked for" : nil
        var created: pthread_t = 0
        var code: Int32 = 0
        if let priority {
            code = Self.spawn(&created, priority: priority, stackSize: stackSize, body)
            if code != 0 {
                refusal = String(cString: strerror(code))
            }
        }
        if priority == nil || code != 0 {
            code = Self.spawn(&created, priority: nil, stackSize: stackSize, body)
            if code != 0 { throw ThreadError(code: code) }
        }
        thread = created
        realtimeRefusal = refusal
    }

    private static func spawn(_ thread: inout pthread_t, priority: Int32?, stackSize: Int, _ body: @escaping () -> Void) -> Int32 {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        if let priority {
            pthread_attr_setinheritsched(&attributes, Int32(PTHREAD_EXPLICIT_SCHED))
            pthread_attr_setschedpolicy(&attributes, SCHED_FIFO)
            var parameters = sched_param()
            parameters.sched_priority = priority
            pthread_attr_setschedparam(&attributes, &parameters)
        }
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let code = pthread_create(&thread, &attributes, { context in
            // Signals go to the other threads: a handler must never run on the audio thread.
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        if code != 0 { Unmanaged<Body>.fromOpaque(context).release() }
        return code
    }

    /// Waits for the thread to return.
    public mutating func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    deinit {
        if !joined { pthread_join(thread, nil) }
    }

    /// `pthread_create` failed.
    public struct ThreadError: Error, CustomStringConvertible {
        public var code: Int32
        public var description: String { "cannot start the audio thread: \(String(cString: strerror(code)))" }
    }
}
