import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The shared state of one `ConcurrentLoop.allCores` run: the body and the next index to take.
final class LoopWork: @unchecked Sendable {
    let iterations: Int
    let body: (Int) -> Void
    let next = Atomic<Int>(0)

    private init(iterations: Int, body: @escaping (Int) -> Void) {
        self.iterations = iterations
        self.body = body
    }

    /// Takes indices until none is left.
    func work() {
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < iterations else { return }
            body(index)
        }
    }

    /// Runs `body` for 0..<iterations on the caller and `threads - 1` new threads, joined before
    /// returning (which is what lets `body` be a non-escaping closure). A thread that cannot be
    /// created leaves its share to the others.
    static func run(iterations: Int, threads: Int, _ body: (Int) -> Void) {
        guard threads > 1 else {
            for index in 0..<iterations { body(index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = LoopWork(iterations: iterations, body: body)
            let context = Unmanaged.passRetained(work)
            var started: [pthread_t] = []
            for _ in 1..<threads {
                var thread = pthread_t()
                let result = pthread_create(&thread, nil, { context in
                    Unmanaged<LoopWork>.fromOpaque(context!).takeUnretainedValue().work()
                    return nil
                }, context.toOpaque())
                if result == 0 { started.append(thread) }
            }
            work.work()
            for thread in started { pthread_join(thread, nil) }
            context.release()
        }
    }
}
