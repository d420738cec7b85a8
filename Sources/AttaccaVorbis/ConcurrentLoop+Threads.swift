import AttaccaCore
#if canImport(Glibc)
import Glibc
#endif

extension ConcurrentLoop {
    /// One thread per online core (`sysconf(_SC_NPROCESSORS_ONLN)`, the caller's among them), each
    /// taking the next index as it finishes one, so long and short samples balance. Plain pthreads:
    /// Dispatch's `concurrentPerform` on Linux ran everything on one thread on a busy machine.
    public static let allCores = ConcurrentLoop { iterations, body in
        LoopWork.run(iterations: iterations, threads: min(allCoresThreadCount, iterations), body)
    }

    /// The threads `allCores` runs on (fewer when there are fewer iterations).
    public static var allCoresThreadCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `threads` threads (the caller's among them); for tests and measurements.
    public static func threads(_ threads: Int) -> ConcurrentLoop {
        ConcurrentLoop { iterations, body in
            LoopWork.run(iterations: iterations, threads: max(1, min(threads, iterations)), body)
        }
    }
}
