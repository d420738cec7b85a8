import CALSA
import Glibc

/// Locking memory and real-time scheduling, and the advice to give once when the system
/// refuses them (an ordinary user has no rtprio or memlock limit until configured).
public enum Realtime {
    /// How to get the limits on a Debian-like system; shown with the first refusal.
    public static let advice =
        "to allow it, add your user to the 'audio' group (sudo usermod -aG audio $USER) and put '@audio - rtprio 95' and '@audio - memlock unlimited' in /etc/security/limits.d/audio.conf, then log in again"

    /// Locks the pages mapped now (engine, SoundFont, buffers, stacks) in RAM, so the audio
    /// thread never waits on a page fault. Not MCL_FUTURE: under a memlock limit that makes
    /// later allocations fail. Returns nil, or the errno text when refused.
    public static func lockMemory() -> String? {
        if mlockall(MCL_CURRENT) == 0 { return nil }
        return String(cString: strerror(errno))
    }

    /// Moves the calling thread to `SCHED_FIFO` at `priority`. Returns nil, or the errno text
    /// when refused (it then stays as it was).
    public static func makeCurrentThreadRealtime(priority: Int32) -> String? {
        var parameters = sched_param()
        parameters.sched_priority = priority
        let code = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        return code == 0 ? nil : String(cString: strerror(code))
    }

    /// The range `SCHED_FIFO` priorities take here (1...99 on Linux).
    public static var fifoPriorities: ClosedRange<Int32> {
        sched_get_priority_min(SCHED_FIFO)...sched_get_priority_max(SCHED_FIFO)
    }
}
