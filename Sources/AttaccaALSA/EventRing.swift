import AttaccaCore
import Synchronization

/// The lock-free single-producer single-consumer queue that carries MIDI events from the
/// input thread to the audio thread, in the manner of FluidSynth's rvoice queue: a fixed,
/// power-of-two array and two `Atomic` indices, so neither side ever waits or allocates.
///
/// When the ring is full, other messages are dropped (and counted), but note-offs are not
/// lost: they set a bit in a per-channel key bitmap that the consumer turns back into
/// note-offs after the events it drained, so a flood of controllers can never leave a note
/// stuck. (The consumer takes the bitmap before it reads the write index; every event sent
/// before an overflowed note-off is therefore drained first.)
///
/// A handle: copies share the storage, which `deallocate()` frees once both threads are done.
public struct EventRing: @unchecked Sendable {
    @usableFromInline let slots: UnsafeMutablePointer<RingEvent>
    @usableFromInline let mask: Int
    /// Next slot the producer writes; only the producer stores it.
    @usableFromInline let head: UnsafeMutablePointer<Atomic<Int>>
    /// Next slot the consumer reads; only the consumer stores it.
    @usableFromInline let tail: UnsafeMutablePointer<Atomic<Int>>
    /// 16 channels × 128 keys of note-offs that found the ring full.
    @usableFromInline let overflowKeys: UnsafeMutablePointer<Atomic<UInt64>>
    @usableFromInline let overflowPending: UnsafeMutablePointer<Atomic<Bool>>
    @usableFromInline let droppedCount: UnsafeMutablePointer<Atomic<Int>>
    /// The consumer's copy of the bitmap while it drains (consumer only).
    @usableFromInline let taken: UnsafeMutablePointer<UInt64>

    static var overflowWords: Int { 16 * 128 / 64 }

    /// `capacity` is rounded up to a power of two (at least 2).
    public init(capacity: Int) {
        var size = 2
        while size < capacity { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: RingEvent(message: MidiMessage(status: 0), arrivalNanoseconds: 0), count: size)
        mask = size - 1
        head = .allocate(capacity: 1)
        head.initialize(to: Atomic(0))
        tail = .allocate(capacity: 1)
        tail.initialize(to: Atomic(0))
        overflowKeys = .allocate(capacity: Self.overflowWords)
        for word in 0..<Self.overflowWords { (overflowKeys + word).initialize(to: Atomic(0)) }
        overflowPending = .allocate(capacity: 1)
        overflowPending.initialize(to: Atomic(false))
        droppedCount = .allocate(capacity: 1)
        droppedCount.initialize(to: Atomic(0))
        taken = .allocate(capacity: Self.overflowWords)
        taken.initialize(repeating: 0, count: Self.overflowWords)
    }

    /// Frees the storage; call once, after both sides have stopped.
    public func deallocate() {
        slots.deallocate()
        head.deinitialize(count: 1); head.deallocate()
        tail.deinitialize(count: 1); tail.deallocate()
        overflowKeys.deinitialize(count: Self.overflowWords); overflowKeys.deallocate()
        overflowPending.deinitialize(count: 1); overflowPending.deallocate()
        droppedCount.deinitialize(count: 1); droppedCount.deallocate()
        taken.deallocate()
    }

    public var capacity: Int { mask + 1 }

    /// Messages dropped because the ring was full (note-offs are never among them).
    public var dropped: Int { droppedCount.pointee.load(ordering: .relaxed) }

    /// Events waiting (a snapshot).
    public var count: Int {
        head.pointee.load(ordering: .acquiring) - tail.pointee.load(ordering: .acquiring)
    }

    // MARK: Producer side (one thread)

    /// Queues `event`. Returns false when the ring was full: a note-off is then kept in the
    /// overflow bitmap (and still reaches the engine), anything else is dropped.
    @discardableResult
    public func push(_ event: RingEvent) -> Bool {
        let write = head.pointee.load(ordering: .relaxed)
        let read = tail.pointee.load(ordering: .acquiring)
        if write - read > mask {
            if event.isNoteOff {
                let index = event.message.channel * 128 + Int(event.message.data1 & 0x7F)
                overflowKeys[index >> 6].bitwiseOr(1 << UInt64(index & 63), ordering: .relaxed)
                overflowPending.pointee.store(true, ordering: .releasing)
            } else {
                droppedCount.pointee.add(1, ordering: .relaxed)
            }
            return false
        }
        slots[write & mask] = event
        head.pointee.store(write + 1, ordering: .releasing)
        return true
    }

    // MARK: Consumer side (the audio thread)

    /// Throws away everything queued, overflowed note-offs included, and returns how many
    /// events that was. A consumer call, made only while no audio thread drains the ring
    /// (between a device going away and its return), so that stale input never plays.
    public func discardAll() -> Int {
        _ = overflowPending.pointee.exchange(false, ordering: .acquiringAndReleasing)
        let read = tail.pointee.load(ordering: .relaxed)
        let write = head.pointee.load(ordering: .acquiring)
        tail.pointee.store(write, ordering: .releasing)
        var count = write - read
        for word in 0..<Self.overflowWords {
            count += overflowKeys[word].exchange(0, ordering: .acquiringAndReleasing).nonzeroBitCount
        }
        return count
    }

    /// Moves the queued events into `events` (at most `events.count`), then the overflowed
    /// note-offs (stamped `overflowStamp`) after them; returns how many it wrote.
    /// `events` needs room for `capacity + 2048` to take everything in one call.
    ///
    /// The bitmap is taken (into `taken`) before the write index is read: a bit was set while
    /// the ring was full, so every event sent before that note-off is below the write index
    /// read afterwards and is delivered first. (Taking the bits after copying the events, as
    /// this did before, let a producer that refilled the ring in between put a note-off ahead
    /// of the note-on it ends, which then droned.)
    @_noLocks
    public func drain(into events: UnsafeMutableBufferPointer<RingEvent>, overflowStamp: Int64) -> Int {
        let pending = overflowPending.pointee.exchange(false, ordering: .acquiringAndReleasing)
        if pending {
            for word in 0..<Self.overflowWords {
                taken[word] = overflowKeys[word].exchange(0, ordering: .acquiringAndReleasing)
            }
        }
        let read = tail.pointee.load(ordering: .relaxed)
        let write = head.pointee.load(ordering: .acquiring)
        var count = 0
        var position = read
        while position < write && count < events.count {
            events[count] = slots[position & mask]
            count += 1
            position += 1
        }
        tail.pointee.store(position, ordering: .releasing)
        guard pending else { return count }
        var keptBack = false
        for word in 0..<Self.overflowWords {
            var bits = taken[word]
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                bits &= bits - 1
                let index = word * 64 + bit
                if count < events.count && position == write {
                    events[count] = RingEvent(message: .noteOff(channel: index >> 7, key: index & 127),
                                              arrivalNanoseconds: overflowStamp)
                    count += 1
                } else {
                    // No room this time (or events before it still queued): next period.
                    overflowKeys[word].bitwiseOr(1 << UInt64(bit), ordering: .relaxed)
                    keptBack = true
                }
            }
        }
        if keptBack { overflowPending.pointee.store(true, ordering: .releasing) }
        return count
    }
}
