import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the clock events are stamped with on arrival and the
/// PCM's timestamps use, so the two can be compared.
public enum MonotonicClock {
    @_noLocks
    public static func now() -> Int64 {
        _unsafePerformance {
            var time = timespec()
            _ = clock_gettime(CLOCK_MONOTONIC, &time)
            return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        }
    }
}
