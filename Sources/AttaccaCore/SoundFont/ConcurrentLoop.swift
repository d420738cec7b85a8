/// Runs the iterations 0..<n of a loop body, perhaps on several threads at once, and returns when
/// all are done. AttaccaCore has no threads of its own (no Foundation, no Dispatch): the caller
/// brings them, e.g. `AttaccaVorbis`' `ConcurrentLoop.allCores` over pthreads.
public struct ConcurrentLoop {
    private let runner: (Int, (Int) -> Void) -> Void

    /// `run(n, body)` must call `body` once for every index in 0..<n and return after the last;
    /// `body` may run on several threads at once (each index writes only its own results).
    public init(_ run: @escaping (_ iterations: Int, _ body: (Int) -> Void) -> Void) {
        runner = run
    }

    /// Runs `body` for every index in 0..<iterations; returns after the last.
    public func run(_ iterations: Int, _ body: (Int) -> Void) {
        runner(iterations, body)
    }

    /// On the calling thread, in index order.
    public static let sequential = ConcurrentLoop { iterations, body in
        for index in 0..<iterations { body(index) }
    }
}
