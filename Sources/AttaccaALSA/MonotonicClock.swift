import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the clock events are stamped with on arrival and the
/// PCM's timestamps use, so the two can be compared.
public enum MonotonicClock {
    @inline(__always)
    public static func now() -> Int64 {
        var time = timespec()
        _unsafePerformance { _ = clock_gettime(CLOCK_MONOTONIC, &time) }
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
