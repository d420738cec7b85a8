import Synchronization

/// The fixed-size single-producer single-consumer queue of `LatencyRecord`s: the audio thread
/// pushes one per note-on without waiting or allocating, a collector thread takes them. When
/// it is full the record is dropped and counted (the note still plays; it goes unmeasured).
///
/// A handle: copies share the storage, which `deallocate()` frees once both threads are done.
public struct LatencyRing: @unchecked Sendable {
    @usableFromInline let slots: UnsafeMutablePointer<LatencyRecord>
    @usableFromInline let mask: Int
    /// Next slot the producer writes; only the producer stores it.
    @usableFromInline let head: UnsafeMutablePointer<Atomic<Int>>
    /// Next slot the consumer reads; only the consumer stores it.
    @usableFromInline let tail: UnsafeMutablePointer<Atomic<Int>>
    @usableFromInline let droppedCount: UnsafeMutablePointer<Atomic<Int>>

    /// `capacity` is rounded up to a power of two (at least 2).
    public init(capacity: Int = 4096) {
        var size = 2
        while size < capacity { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: LatencyRecord(), count: size)
        mask = size - 1
        head = .allocate(capacity: 1)
        head.initialize(to: Atomic(0))
        tail = .allocate(capacity: 1)
        tail.initialize(to: Atomic(0))
        droppedCount = .allocate(capacity: 1)
        droppedCount.initialize(to: Atomic(0))
    }

    /// Frees the storage; call once, after both sides have stopped.
    public func deallocate() {
        slots.deallocate()
        head.deinitialize(count: 1); head.deallocate()
        tail.deinitialize(count: 1); tail.deallocate()
        droppedCount.deinitialize(count: 1); droppedCount.deallocate()
    }

    public var capacity: Int { mask + 1 }

    /// Records dropped because the ring was full.
    public var dropped: Int { droppedCount.pointee.load(ordering: .relaxed) }

    /// Queues `record` (audio thread); false when the ring was full and it was dropped.
    @discardableResult @_noLocks
    public func push(_ record: LatencyRecord) -> Bool {
        let write = head.pointee.load(ordering: .relaxed)
        let read = tail.pointee.load(ordering: .acquiring)
        if write - read > mask {
            droppedCount.pointee.add(1, ordering: .relaxed)
            return false
        }
        slots[write & mask] = record
        head.pointee.store(write + 1, ordering: .releasing)
        return true
    }

    /// Hands every queued record to `body`, oldest first (collector thread); returns how many.
    @discardableResult
    public func drain(_ body: (LatencyRecord) -> Void) -> Int {
        let read = tail.pointee.load(ordering: .relaxed)
        let write = head.pointee.load(ordering: .acquiring)
        var position = read
        while position < write {
            body(slots[position & mask])
            position += 1
        }
        tail.pointee.store(position, ordering: .releasing)
        return write - read
    }
}
