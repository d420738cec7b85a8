import AttaccaALSA
import AttaccaCore
import Synchronization
import Testing

@Suite struct EventRingTests {
    func event(_ message: MidiMessage, _ time: Int64 = 0) -> RingEvent { RingEvent(message: message, arrivalNanoseconds: time) }

    func drainAll(_ ring: EventRing) -> [RingEvent] {
        let buffer = UnsafeMutableBufferPointer<RingEvent>.allocate(capacity: ring.capacity + 2048)
        defer { buffer.deallocate() }
        let count = ring.drain(into: buffer, overflowStamp: 99)
        return Array(buffer[0..<count])
    }

    @Test func capacityIsAPowerOfTwo() {
        let ring = EventRing(capacity: 1000)
        defer { ring.deallocate() }
        #expect(ring.capacity == 1024)
    }

    @Test func keepsOrderAcrossWrapAround() {
        let ring = EventRing(capacity: 4)
        defer { ring.deallocate() }
        var sent = 0
        for _ in 0..<10 {
            for _ in 0..<3 {
                #expect(ring.push(event(.noteOn(channel: 0, key: sent % 128, velocity: 100), Int64(sent))))
                sent += 1
            }
            let got = drainAll(ring)
            #expect(got.map(\.arrivalNanoseconds) == Array(Int64(sent - 3)..<Int64(sent)))
        }
        #expect(ring.dropped == 0)
    }

    @Test func fullRingDropsOthersButKeepsNoteOffsAfterWhatCameBefore() {
        let ring = EventRing(capacity: 4)
        defer { ring.deallocate() }
        for key in 60..<64 { #expect(ring.push(event(.noteOn(channel: 2, key: key, velocity: 90)))) }
        #expect(!ring.push(event(.controlChange(channel: 2, controller: 1, value: 5))))
        #expect(!ring.push(event(.noteOff(channel: 2, key: 61))))
        #expect(!ring.push(event(.noteOn(channel: 3, key: 70, velocity: 0))))  // velocity 0 is a note-off
        #expect(ring.dropped == 1)
        let got = drainAll(ring).map(\.message)
        #expect(got.count == 6)
        #expect(Array(got.prefix(4)) == (60..<64).map { MidiMessage.noteOn(channel: 2, key: $0, velocity: 90) })
        #expect(Set(got.suffix(2)) == [.noteOff(channel: 2, key: 61), .noteOff(channel: 3, key: 70)])
        #expect(drainAll(ring).isEmpty)
    }

    @Test func overflowedNoteOffsWaitWhenTheBufferIsTooSmall() {
        let ring = EventRing(capacity: 2)
        defer { ring.deallocate() }
        ring.push(event(.noteOn(channel: 0, key: 1, velocity: 1)))
        ring.push(event(.noteOn(channel: 0, key: 2, velocity: 1)))
        ring.push(event(.noteOff(channel: 0, key: 1)))
        ring.push(event(.noteOff(channel: 0, key: 2)))
        let small = UnsafeMutableBufferPointer<RingEvent>.allocate(capacity: 3)
        defer { small.deallocate() }
        #expect(ring.drain(into: small, overflowStamp: 0) == 3)
        #expect(drainAll(ring).map(\.message) == [.noteOff(channel: 0, key: 2)])
    }

    /// A producer thread floods a tiny ring with note-on/note-off pairs while this thread
    /// drains it: however the two interleave, an overflowed note-off must never come out ahead
    /// of the note-on it ends (that note would drone). Every key must be up at the end.
    @Test func concurrentOverflowNeverLeavesANoteDown() throws {
        let ring = EventRing(capacity: 2)
        defer { ring.deallocate() }
        let done = Atomic(false)
        let pairs = 200_000
        try withUnsafePointer(to: done) { done in
            var producer = try AudioThread(priority: nil) {
                var state: UInt64 = 0x1234_5678
                for _ in 0..<pairs {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let key = Int(state >> 58)  // 64 keys: the same key comes back often
                    ring.push(RingEvent(message: .noteOn(channel: 0, key: key, velocity: 100), arrivalNanoseconds: 0))
                    ring.push(RingEvent(message: .noteOff(channel: 0, key: key), arrivalNanoseconds: 0))
                }
                done.pointee.store(true, ordering: .releasing)
            }
            let buffer = UnsafeMutableBufferPointer<RingEvent>.allocate(capacity: ring.capacity + 2048)
            defer { buffer.deallocate() }
            var down = [Bool](repeating: false, count: 128)
            var drains = 0
            func drain() {
                let count = ring.drain(into: buffer, overflowStamp: 0)
                for event in buffer[0..<count] {
                    down[Int(event.message.data1)] = !event.isNoteOff
                }
                drains += 1
            }
            while !done.pointee.load(ordering: .acquiring) { drain() }
            producer.join()
            drain()
            drain()
            #expect(down.allSatisfy { !$0 }, "keys left down: \(down.indices.filter { down[$0] }) after \(drains) drains")
        }
    }
}
