#if canImport(Glibc)
import Glibc
#endif

extension SoundFont {
    /// Makes sure reading `sampleData` never waits for the disk: a file-backed font is mapped
    /// lazily, so the first note of each sample would page-fault on the audio thread. Call this
    /// once before real-time playback (it reads the whole smpl chunk; not needed for offline
    /// rendering). Locks the pages with `mlock` when the memory-lock limit allows, else only
    /// faults them in, where memory pressure could still evict them.
    /// Returns true when the sample data is locked in memory or was never file-backed.
    @discardableResult
    public func makeSampleDataResident() -> Bool {
        guard let base = sampleData.baseAddress, !sampleData.isEmpty else { return true }
        let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        let start = UnsafeRawPointer(base)
        let byteCount = sampleData.count * 2
        if mlock(start, byteCount) == 0 { return true }
        // Read into memory this object allocated: resident already (only swap could move it).
        guard case .mapped = storage else { return true }
        // MADV_POPULATE_READ (Linux 5.14) faults the range in without touching it from here;
        // older kernels reject it, and then every page is read once.
        let populateRead: Int32 = 22
        let alignedStart = UnsafeMutableRawPointer(bitPattern: Int(bitPattern: start) & ~(pageSize - 1))
        let alignedCount = byteCount + (Int(bitPattern: start) & (pageSize - 1))
        if madvise(alignedStart, alignedCount, populateRead) != 0 {
            Self.touchPages(start, byteCount: byteCount, pageSize: pageSize)
        }
        return false
    }

    /// Reads one byte of every page; the sum goes to an opaque sink so the loop stays.
    @inline(never)
    private static func touchPages(_ start: UnsafeRawPointer, byteCount: Int, pageSize: Int) {
        var sum: UInt8 = 0
        var offset = 0
        while offset < byteCount {
            sum &+= start.load(fromByteOffset: offset, as: UInt8.self)
            offset += pageSize
        }
        blackHole(sum)
    }

    @inline(never) @_optimize(none)
    private static func blackHole(_ value: UInt8) {}
}
