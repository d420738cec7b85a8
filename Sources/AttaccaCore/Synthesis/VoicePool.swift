/// The fixed set of voices, allocated once. When every voice is busy a new note steals one:
/// the policy prefers voices not started in the current render block, then voices already
/// released, then the quietest, then the oldest (lowest note serial).
struct VoicePool: ~Copyable {
    let voices: UnsafeMutablePointer<Voice>
    let capacity: Int
    private(set) var activeCount = 0

    init(capacity: Int) {
        self.capacity = capacity
        voices = .allocate(capacity: capacity)
        voices.initialize(repeating: Voice(), count: capacity)
    }

    deinit {
        voices.deinitialize(count: capacity)
        voices.deallocate()
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
            voices[victim].isActive = false
            activeCount -= 1
        }
        voices[victim].isActive = true
        activeCount += 1
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
        if voices[index].isActive {
            voices[index].isActive = false
            activeCount -= 1
        }
    }

    /// Frees every slot at once (system reset).
    @_noLocks
    mutating func freeAll() {
        for i in 0..<capacity { voices[i].isActive = false }
        activeCount = 0
    }
}
