/// The fixed set of voices, allocated once. When every voice is busy a new note steals one:
/// the policy prefers voices not started in the current render block, then voices already
/// released, then the quietest, then the oldest (lowest note serial).
struct VoicePool: ~Copyable {
    let voices: UnsafeMutablePointer<Voice>
    let capacity: Int
    private(set) var activeCount = 0
    /// Slots of the active voices, `activeCount` of them in no particular order, so rendering
    /// visits only sounding voices.
    let activeSlots: UnsafeMutablePointer<Int32>
    /// Where each slot sits in `activeSlots` (-1 when free).
    let listPosition: UnsafeMutablePointer<Int32>

    init(capacity: Int) {
        self.capacity = capacity
        voices = .allocate(capacity: capacity)
        voices.initialize(repeating: Voice(), count: capacity)
        activeSlots = .allocate(capacity: capacity)
        activeSlots.initialize(repeating: 0, count: capacity)
        listPosition = .allocate(capacity: capacity)
        listPosition.initialize(repeating: -1, count: capacity)
    }

    deinit {
        voices.deinitialize(count: capacity)
        voices.deallocate()
        activeSlots.deallocate()
        listPosition.deallocate()
    }

    @_noLocks
    @inline(__always)
    mutating func insert(_ slot: Int) {
        voices[slot].isActive = true
        listPosition[slot] = Int32(activeCount)
        activeSlots[activeCount] = Int32(slot)
        activeCount += 1
    }

    @_noLocks
    @inline(__always)
    mutating func remove(_ slot: Int) {
        voices[slot].isActive = false
        let position = Int(listPosition[slot])
        let last = Int(activeSlots[activeCount - 1])
        activeSlots[position] = Int32(last)
        listPosition[last] = Int32(position)
        listPosition[slot] = -1
        activeCount -= 1
    }

    /// A slot for a new voice: a free one, or the stolen one chosen by the policy above.
    /// The slot is marked active; the caller sets it up.
    @_noLocks
    @inline(__always)
    mutating func allocate(currentBlock: UInt64) -> Int {
        var victim = -1
        for i in 0..<capacity where !voices[i].isActive {
            victim = i
            break
        }
        if victim < 0 {
            victim = 0
            for i in 1..<max(capacity, 1) where Self.isBetterVictim(voices[i], than: voices[victim], currentBlock: currentBlock) {
                victim = i
            }
            remove(victim)
        }
        insert(victim)
        return victim
    }

    /// Whether stealing `a` is preferable to stealing `b`.
    @_noLocks
    @inline(__always)
    static func isBetterVictim(_ a: Voice, than b: Voice, currentBlock: UInt64) -> Bool {
        let aNew = a.startBlock == currentBlock, bNew = b.startBlock == currentBlock
        if aNew != bNew { return !aNew }
        if a.isReleased != b.isReleased { return a.isReleased }
        if a.amplitude != b.amplitude { return a.amplitude < b.amplitude }
        return a.noteID < b.noteID
    }

    /// Frees a slot.
    @_noLocks
    @inline(__always)
    mutating func free(_ index: Int) {
        if voices[index].isActive { remove(index) }
    }

    /// Frees every slot at once (system reset).
    @_noLocks
    mutating func freeAll() {
        for i in 0..<capacity {
            voices[i].isActive = false
            listPosition[i] = -1
        }
        activeCount = 0
    }
}
