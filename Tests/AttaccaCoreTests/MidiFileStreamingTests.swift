import Testing
@testable import AttaccaCore

/// Issue 17, class 12: events are no longer stored but decoded from the file's bytes and merged
/// across tracks as they are played. The merge is checked against an independent one: every
/// track's events written down with their absolute ticks, sorted by (tick, track, order), timed
/// by a tempo map computed here from the same tempo list.
@Suite struct MidiFileStreamingTests {
    /// A little generator (xorshift) so the cases are the same on every run.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    @Test(arguments: 1...20)
    func mergeMatchesAnIndependentSort(seed: Int) throws {
        var random = Random(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1)
        let trackCount = 1 + random.next(6)
        var tracks: [[UInt8]] = []
        var expected: [(tick: Int, track: Int, order: Int, message: MidiMessage)] = []
        var tempos: [(tick: Int, track: Int, order: Int, microseconds: Int)] = []
        for track in 0..<trackCount {
            var bytes: [UInt8] = []
            var tick = 0
            var order = 0
            for _ in 0..<random.next(60) {
                let delta = random.next(4) == 0 ? 0 : random.next(100)
                tick += delta
                bytes.append(UInt8(delta))
                if random.next(8) == 0 {
                    let microseconds = 100_000 + random.next(900_000)
                    bytes += [0xFF, 0x51, 0x03, UInt8(microseconds >> 16), UInt8((microseconds >> 8) & 0xFF), UInt8(microseconds & 0xFF)]
                    tempos.append((tick, track, order, microseconds))
                } else {
                    let message = MidiMessage.noteOn(channel: random.next(16), key: random.next(128), velocity: random.next(128))
                    bytes += [message.status, message.data1, message.data2]
                    expected.append((tick, track, order, message))
                }
                order += 1
            }
            tracks.append(bytes + MidiTestFile.endOfTrack)
        }
        let file = try MidiFile(bytes: MidiTestFile.file(division: 96, tracks: tracks))
        func before<T>(_ a: (tick: Int, track: Int, order: Int, T), _ b: (tick: Int, track: Int, order: Int, T)) -> Bool {
            (a.tick, a.track, a.order) < (b.tick, b.track, b.order)
        }
        let sortedEvents = expected.sorted(by: before)
        let sortedTempos = tempos.sorted(by: before)
        // Seconds at a tick: the tempo list walked from the start (120 BPM before the first).
        func seconds(_ tick: Int) -> Double {
            var seconds = 0.0, lastTick = 0, perTick = 500_000.0 / (1_000_000 * 96)
            for tempo in sortedTempos where tempo.tick <= tick {
                seconds += Double(tempo.tick - lastTick) * perTick
                lastTick = tempo.tick
                perTick = Double(tempo.microseconds) / (1_000_000 * 96)
            }
            return seconds + Double(tick - lastTick) * perTick
        }
        let events = file.events
        #expect(file.eventCount == expected.count)
        #expect(events.count == sortedEvents.count)
        for (event, want) in zip(events, sortedEvents) {
            #expect(event.tick == want.tick && event.track == want.track && event.message == want.message)
            #expect(abs(event.time - seconds(want.tick)) < 1e-9)
        }
        #expect(file.tempoChanges.map(\.tick) == sortedTempos.map(\.tick))
        // Two iterators are independent of each other and of `events`.
        var first = file.makeEventIterator(), second = file.makeEventIterator()
        _ = first.next()
        #expect(second.next() == events.first)
    }
}
