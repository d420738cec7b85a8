import AttaccaALSA
import AttaccaAssets
import AttaccaCore
import Testing

/// A MIDI flood through the real live path (`EventRing`, `AudioLoop`, the native `Synthesizer`,
/// over the fake PCM): 20,000 random note-ons and note-offs a second across the 16 channels,
/// part of it in bursts larger than the ring, every note turned off in the end. Nothing may
/// drone, no note-off may be lost, and the ring must count exactly what it dropped.
@Suite struct EventFloodTests {
    static let eventsPerSecond = 20_000

    /// Random notes: a note-off for a held key about as often as a note-on, so some dozens
    /// are down at any time. Keeps which keys are held.
    struct Player {
        var random = SeededRandom(seed: 0x6A77_0006)
        private(set) var held: [Int] = []

        mutating func next() -> MidiMessage {
            let offChance = Double(held.count) / Double(held.count + 48)
            if !held.isEmpty && Double.random(in: 0..<1, using: &random) < offChance {
                let key = held.remove(at: Int.random(in: 0..<held.count, using: &random))
                // Half of them as velocity-0 note-ons, as running-status keyboards send them.
                return Bool.random(using: &random) ? .noteOff(channel: key >> 7, key: key & 127)
                    : .noteOn(channel: key >> 7, key: key & 127, velocity: 0)
            }
            let key = Int.random(in: 0..<16, using: &random) * 128 + Int.random(in: 36...96, using: &random)
            if let index = held.firstIndex(of: key) {
                held.remove(at: index)
                return .noteOff(channel: key >> 7, key: key & 127)
            }
            held.append(key)
            return .noteOn(channel: key >> 7, key: key & 127, velocity: Int.random(in: 1...127, using: &random))
        }

        /// Note-offs for everything still held.
        mutating func releaseAll() -> [MidiMessage] {
            defer { held = [] }
            return held.map { .noteOff(channel: $0 >> 7, key: $0 & 127) }
        }
    }

    /// What the ring must do with a batch pushed while it is empty: the first `capacity` go in,
    /// of the rest the note-offs are kept (one per key) and everything else is dropped.
    struct RingModel {
        let capacity: Int
        var sent = 0
        var dropped = 0
        var delivered = 0
        var noteOffsDelivered = 0

        mutating func expect(_ batch: [MidiMessage]) {
            sent += batch.count
            var overflowKeys = Set<Int>()
            for (index, message) in batch.enumerated() {
                let isNoteOff = RingEvent(message: message, arrivalNanoseconds: 0).isNoteOff
                if index < capacity {
                    delivered += 1
                    if isNoteOff { noteOffsDelivered += 1 }
                } else if isNoteOff {
                    overflowKeys.insert(message.channel * 128 + Int(message.data1))
                } else {
                    dropped += 1
                }
            }
            delivered += overflowKeys.count
            noteOffsDelivered += overflowKeys.count
        }
    }

    @Test func floodLeavesNothingSoundingAndCountsWhatItDropped() throws {
        let ring = EventRing(capacity: 1024)
        let monitor = AudioMonitor()
        defer {
            ring.deallocate()
            monitor.deallocate()
        }
        var loop = AudioLoop(device: FakePCM(periodSize: 64), ring: ring, monitor: monitor)
        // 64 voices keep the debug build's render time reasonable; the flood still steals voices.
        var settings = SynthesizerSettings()
        settings.polyphony = 64
        var engine = FloodEngine(synthesizer: try Synthesizer(soundFont: DefaultSoundFont.make(), settings: settings))
        var player = Player()
        var model = RingModel(capacity: ring.capacity)
        let framesPerSecond = engine.sampleRate
        var eventsDue = 0.0
        var mostVoices = 0
        do { let result = loop.prefill(); #expect(result) }

        /// Pushes `batch` (the ring is empty: the last cycle drained it), checking each push
        /// against the model, then renders `periods` periods.
        func play(_ batch: [MidiMessage], periods: Int) {
            #expect(ring.count == 0)
            for (index, message) in batch.enumerated() {
                let accepted = ring.push(RingEvent(message: message, arrivalNanoseconds: loop.device.clock - 1000))
                #expect(accepted == (index < ring.capacity))
            }
            model.expect(batch)
            for _ in 0..<periods {
                loop.device.clock += loop.periodNanoseconds
                _ = loop.cycle(engine: &engine)
                mostVoices = max(mostVoices, engine.activeVoiceCount)
            }
        }
        func due(periods: Int) -> [MidiMessage] {
            eventsDue += Double(Self.eventsPerSecond * 64 * periods) / Double(framesPerSecond)
            let count = Int(eventsDue)
            eventsDue -= Double(count)
            return (0..<count).map { _ in player.next() }
        }

        // One second steady, every period's ~27 events as they come: nothing dropped.
        for _ in 0..<750 { play(due(periods: 1), periods: 1) }
        #expect(ring.dropped == 0)
        // One second from an input thread that stalls 64 ms at a time: 1280 events a burst,
        // more than the ring holds.
        for _ in 0..<16 { play(due(periods: 48), periods: 48) }
        #expect(model.dropped > 0)
        // Every note still held is let go; then up to 3 s for the releases (0.9 s at most in
        // this font; the drum samples end by themselves).
        play(player.releaseAll(), periods: 1)
        var tailPeriods = 0
        while engine.activeVoiceCount > 0 && tailPeriods < 3 * framesPerSecond / 64 {
            play([], periods: 1)
            tailPeriods += 1
        }

        #expect(ring.dropped == model.dropped)
        #expect(monitor.eventsDelivered == model.delivered)
        #expect(engine.noteOffs == model.noteOffsDelivered)
        #expect(engine.noteOns + engine.noteOffs == model.delivered)
        #expect(engine.keysDown == 0)
        #expect(engine.activeVoiceCount == 0)
        #expect(mostVoices > 32)
        print("flood: \(model.sent) events sent, \(monitor.eventsDelivered) handled, \(ring.dropped) dropped, "
            + "\(mostVoices) voices at most, \(engine.activeVoiceCount) sounding \(tailPeriods * 64 * 1000 / framesPerSecond) ms after the last note-off")
    }

    /// The same flood from a real producer thread, as fast as it can push, against the loop on
    /// its own thread: the ring overflows at unplanned moments. The producer sees which pushes
    /// failed; the ring's count must match it exactly, and nothing may sound at the end.
    @Test func concurrentFloodMatchesTheProducersCount() throws {
        let ring = EventRing(capacity: 1024)
        let monitor = AudioMonitor()
        defer {
            ring.deallocate()
            monitor.deallocate()
        }
        var loop = AudioLoop(device: FakePCM(periodSize: 64), ring: ring, monitor: monitor)
        var engine = FloodEngine(synthesizer: try Synthesizer(soundFont: DefaultSoundFont.make()))
        let loopPointer = withUnsafeMutablePointer(to: &loop) { $0 }
        let enginePointer = withUnsafeMutablePointer(to: &engine) { $0 }
        var thread = try AudioThread(priority: nil) { loopPointer.pointee.run(engine: &enginePointer.pointee) }

        var player = Player(random: SeededRandom(seed: 20_000))
        var sent = 0, accepted = 0, dropped = 0, overflowedNoteOffs = 0
        func push(_ message: MidiMessage) {
            let event = RingEvent(message: message, arrivalNanoseconds: MonotonicClock.now())
            sent += 1
            if ring.push(event) { accepted += 1 } else if event.isNoteOff { overflowedNoteOffs += 1 } else { dropped += 1 }
        }
        for _ in 0..<100_000 { push(player.next()) }
        for message in player.releaseAll() { push(message) }
        // Everything taken by the audio thread, then 3 s of audio for the releases.
        while ring.count > 0 {}
        let periods = monitor.periods
        while monitor.periods < periods + 2 + 3 * 48000 / 64 && monitor.voices > 0 {}
        let voicesAfterRelease = monitor.voices
        monitor.requestStop()
        thread.join()

        #expect(dropped > 0, "the producer never outran the audio thread")
        #expect(ring.dropped == dropped)
        #expect(monitor.eventsDelivered >= accepted)
        #expect(monitor.eventsDelivered <= accepted + overflowedNoteOffs)
        #expect(engine.keysDown == 0)
        #expect(voicesAfterRelease == 0)
        print("concurrent flood: \(sent) events sent, \(accepted) queued, \(monitor.eventsDelivered) handled, \(ring.dropped) dropped, "
            + "\(overflowedNoteOffs) note-offs kept through overflow, \(voicesAfterRelease) voices sounding after the releases")
    }
}
