#if canImport(Glibc)
import Glibc
#endif

/// Keeps a memory-mapped SoundFont from killing the process when its file shrinks under it.
///
/// Reading a page of a file mapping past the file's new end raises SIGBUS. The handler installed
/// here looks the faulting address up among the registered mappings and, when it lies in one,
/// maps zero-filled anonymous pages over the rest of that mapping (`MAP_FIXED`), so the read is
/// retried and finds silence; any other SIGBUS goes to the handler that was there before (the
/// Swift runtime's backtracer, or the default: the process dies as it would have). Mapping
/// stays (a 141 MB font loads in milliseconds and shares the page cache) where copying the file
/// cost 90-300 ms of page faults on this machine.
enum MappedFileGuard {
    /// Registered mappings: base address and length, 0 for a free slot. Written only outside
    /// the handler; the handler only reads.
    private static let slotCount = 64
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UInt> = {
        let pointer = UnsafeMutablePointer<UInt>.allocate(capacity: 2 * slotCount)
        pointer.initialize(repeating: 0, count: 2 * slotCount)
        return pointer
    }()
    nonisolated(unsafe) private static var previous = sigaction()
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    nonisolated(unsafe) private static var pageSize = UInt(4096)

    /// Watches `base ..< base + length` (call before reading the mapping). Returns false when
    /// every slot is taken (then the mapping is not protected).
    @discardableResult
    static func register(_ base: UnsafeMutableRawPointer, length: Int) -> Bool {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        installIfNeeded()
        for slot in 0..<slotCount where slots[2 * slot] == 0 {
            slots[2 * slot + 1] = UInt(length)
            slots[2 * slot] = UInt(bitPattern: base)
            return true
        }
        return false
    }

    /// Stops watching the mapping at `base` (before it is unmapped).
    static func unregister(_ base: UnsafeMutableRawPointer) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for slot in 0..<slotCount where slots[2 * slot] == UInt(bitPattern: base) {
            slots[2 * slot] = 0
            slots[2 * slot + 1] = 0
        }
    }

    private static func installIfNeeded() {
        guard !installed else { return }
        installed = true
        _ = slots  // initialized here, never first in the handler
        pageSize = UInt(max(sysconf(Int32(_SC_PAGESIZE)), 4096))
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { signal, info, context in
            MappedFileGuard.handle(signal, info, context)
        }
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigemptyset(&action.sa_mask)
        sigaction(SIGBUS, &action, &previous)
    }

    private static func handle(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        if let info {
            let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
            for slot in 0..<slotCount {
                let base = slots[2 * slot], length = slots[2 * slot + 1]
                guard base != 0, address >= base, address < base + length else { continue }
                let start = address & ~(pageSize - 1)
                let end = (base + length + pageSize - 1) & ~(pageSize - 1)
                let zeros = mmap(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), PROT_READ,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                if zeros != MAP_FAILED { return }  // the read is retried on zero pages
            }
        }
        // Not ours: what was there before.
        if previous.sa_flags & SA_SIGINFO != 0, let chained = previous.__sigaction_handler.sa_sigaction {
            chained(signal, info, context)
            return
        }
        let handler = previous.__sigaction_handler.sa_handler
        if handler != nil && unsafeBitCast(handler, to: Int.self) > 1 {  // neither SIG_DFL (0) nor SIG_IGN (1)
            handler!(signal)
            return
        }
        Glibc.signal(SIGBUS, SIG_DFL)  // the fault happens again and ends the process
    }
}
