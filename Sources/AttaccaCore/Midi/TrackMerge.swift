/// The tracks of a MIDI file merged by (tick, track): one reader per track, its next item read
/// ahead, and a min-heap of the readers. Plain allocated storage rather than arrays, so taking
/// an item never allocates (array element updates through a struct's stored property did, once
/// per item, in debug builds).
final class TrackMerge: @unchecked Sendable {
    /// Keeps the file's bytes alive; `buffer` points into them (never mutated).
    private let bytes: [UInt8]
    private let buffer: UnsafeBufferPointer<UInt8>
    private let readers: UnsafeMutablePointer<MidiTrackReader>
    private let pending: UnsafeMutablePointer<MidiTrackReader.Item?>
    private let heap: UnsafeMutablePointer<Int32>
    private let count: Int
    private var heapCount = 0

    init(bytes: [UInt8], readers: [MidiTrackReader]) {
        self.bytes = bytes
        buffer = bytes.withUnsafeBufferPointer { $0 }
        count = readers.count
        self.readers = .allocate(capacity: max(count, 1))
        self.readers.initialize(from: readers, count: count)
        pending = .allocate(capacity: max(count, 1))
        pending.initialize(repeating: nil, count: max(count, 1))
        heap = .allocate(capacity: max(count, 1))
        for index in 0..<count {
            pending[index] = read(index)
            if pending[index] != nil {
                heap[heapCount] = Int32(index)
                heapCount += 1
            }
        }
        // Reader order is track order: heapify once.
        for index in stride(from: heapCount / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    deinit {
        readers.deinitialize(count: count)
        readers.deallocate()
        pending.deinitialize(count: max(count, 1))
        pending.deallocate()
        heap.deallocate()
    }

    /// The reader's next item. The file was checked when it was read, so a reader cannot fail
    /// here; if one did, its track would simply end.
    private func read(_ index: Int) -> MidiTrackReader.Item? {
        do {
            return try readers[index].next(buffer)
        } catch {
            return nil
        }
    }

    private func siftDown(_ start: Int) {
        var i = start
        while true {
            let left = 2 * i + 1, right = left + 1
            var smallest = i
            var smallestTick = readers[Int(heap[i])].tick
            if left < heapCount {
                let tick = readers[Int(heap[left])].tick
                if tick < smallestTick || (tick == smallestTick && heap[left] < heap[smallest]) {
                    smallest = left
                    smallestTick = tick
                }
            }
            if right < heapCount {
                let tick = readers[Int(heap[right])].tick
                if tick < smallestTick || (tick == smallestTick && heap[right] < heap[smallest]) { smallest = right }
            }
            if smallest == i { return }
            let swapped = heap[i]
            heap[i] = heap[smallest]
            heap[smallest] = swapped
            i = smallest
        }
    }

    /// The next item of any track, with its tick and track.
    func next() -> (tick: Int, item: MidiTrackReader.Item, track: Int)? {
        guard heapCount > 0 else { return nil }
        let index = Int(heap[0])
        guard let item = pending[index] else { return nil }
        let tick = readers[index].tick, track = readers[index].track
        let following = read(index)
        pending[index] = following
        if following == nil {
            heapCount -= 1
            heap[0] = heap[heapCount]
        }
        if heapCount > 0 { siftDown(0) }
        return (tick, item, track)
    }
}
