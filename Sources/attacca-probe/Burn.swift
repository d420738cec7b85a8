import Glibc

/// Keeps the CPU busy for `milliseconds` of CLOCK_MONOTONIC (virtual time in the VM), at
/// SCHED_FIFO `priority` when given: above the audio thread's priority nothing else runs
/// meanwhile, which is how the harness makes xruns on purpose.
func runBurn(milliseconds: Int, priority: Int) -> Never {
    guard milliseconds > 0, (0...99).contains(priority) else { fail("burn: --milliseconds must be positive, --priority 0...99") }
    if priority > 0 {
        var parameters = sched_param(sched_priority: Int32(priority))
        guard sched_setscheduler(0, SCHED_FIFO, &parameters) == 0 else {
            fail("burn: SCHED_FIFO \(priority) refused: \(String(cString: strerror(errno)))")
        }
    }
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let end = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) + Int64(milliseconds) * 1_000_000
    var spins = 0
    repeat {
        spins &+= 1
        clock_gettime(CLOCK_MONOTONIC, &now)
    } while Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) < end
    print("burn: \(milliseconds) ms at \(priority > 0 ? "SCHED_FIFO \(priority)" : "SCHED_OTHER") (\(spins) clock reads)")
    exit(0)
}
