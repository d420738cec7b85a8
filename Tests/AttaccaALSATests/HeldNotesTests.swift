import AttaccaALSA
import AttaccaCore
import Testing

@Suite struct HeldNotesTests {
    let keyboard = SequencerAddress(client: 24, port: 0)
    let pads = SequencerAddress(client: 24, port: 1)
    let other = SequencerAddress(client: 130, port: 0)

    @Test func releasesOnlyWhatTheDepartedSourceHolds() {
        var held = HeldNotes()
        held.record(.noteOn(channel: 0, key: 60, velocity: 100), from: keyboard)
        held.record(.noteOn(channel: 0, key: 64, velocity: 100), from: keyboard)
        held.record(.noteOn(channel: 3, key: 40, velocity: 90), from: keyboard)
        held.record(.noteOff(channel: 0, key: 64), from: keyboard)
        held.record(.noteOn(channel: 0, key: 67, velocity: 0), from: keyboard)  // velocity 0 ends nothing held
        held.record(.noteOn(channel: 0, key: 72, velocity: 80), from: other)
        #expect(held.noteCount(of: keyboard) == 2)
        #expect(held.release(.portExit(keyboard)) == [.noteOff(channel: 0, key: 60), .noteOff(channel: 3, key: 40)])
        #expect(held.noteCount(of: keyboard) == 0)
        #expect(held.noteCount(of: other) == 1)
        // Said once: the source is forgotten.
        #expect(held.release(.portExit(keyboard)) == nil)
        #expect(held.release(.unsubscribed(SequencerAddress(client: 99, port: 0))) == nil)
    }

    @Test func warmingUpLeavesNothingRecorded() {
        var held = HeldNotes()
        held.warmUp()
        #expect(held.sourceCount == 0)
        held.record(.noteOn(channel: 0, key: 60, velocity: 100), from: keyboard)
        held.warmUp()
        #expect(held.sourceCount == 1)
        #expect(held.noteCount(of: keyboard) == 1)
    }

    @Test func velocityZeroNoteOnEndsANote() {
        var held = HeldNotes()
        held.record(.noteOn(channel: 5, key: 50, velocity: 70), from: keyboard)
        held.record(.noteOn(channel: 5, key: 50, velocity: 0), from: keyboard)
        #expect(held.release(.unsubscribed(keyboard)) == [])
    }

    @Test func clientExitReleasesEveryPortOfTheClient() {
        var held = HeldNotes()
        held.record(.noteOn(channel: 0, key: 60, velocity: 100), from: keyboard)
        held.record(.noteOn(channel: 9, key: 36, velocity: 100), from: pads)
        held.record(.noteOn(channel: 0, key: 61, velocity: 100), from: other)
        #expect(held.release(.clientExit(24)) == [.noteOff(channel: 0, key: 60), .noteOff(channel: 9, key: 36)])
        #expect(held.sourceCount == 1)
    }

    @Test func pedalsHeldDownAreLiftedAfterTheNotes() {
        var held = HeldNotes()
        held.record(.controlChange(channel: 2, controller: 64, value: 127), from: keyboard)
        held.record(.controlChange(channel: 2, controller: 66, value: 100), from: keyboard)
        held.record(.controlChange(channel: 4, controller: 64, value: 127), from: keyboard)
        held.record(.controlChange(channel: 4, controller: 64, value: 0), from: keyboard)  // lifted again
        held.record(.noteOn(channel: 2, key: 48, velocity: 60), from: keyboard)
        #expect(held.release(.portExit(keyboard)) == [
            .noteOff(channel: 2, key: 48),
            .controlChange(channel: 2, controller: 64, value: 0),
            .controlChange(channel: 2, controller: 66, value: 0),
        ])
    }

    @Test func allNotesOffAndResetForgetTheNotes() {
        var held = HeldNotes()
        held.record(.noteOn(channel: 1, key: 60, velocity: 100), from: keyboard)
        held.record(.noteOn(channel: 2, key: 60, velocity: 100), from: keyboard)
        held.record(.controlChange(channel: 1, controller: 123, value: 0), from: keyboard)
        #expect(held.noteCount(of: keyboard) == 1)
        held.record(.systemReset, from: keyboard)
        #expect(held.noteCount(of: keyboard) == 0)
        #expect(held.release(.portExit(keyboard)) == nil)
    }

    /// The release travels the live path: ring, audio loop, engine. A keyboard unplugged with
    /// three keys down leaves only the other source's note sounding.
    @Test func releasedNotesReachTheEngineThroughTheRing() {
        let ring = EventRing(capacity: 256)
        let monitor = AudioMonitor()
        defer {
            ring.deallocate()
            monitor.deallocate()
        }
        var loop = AudioLoop(device: FakePCM(), ring: ring, monitor: monitor)
        var engine = RecordingEngine()
        var held = HeldNotes()
        func input(_ message: MidiMessage, from source: SequencerAddress) {
            held.record(message, from: source)
            ring.push(RingEvent(message: message, arrivalNanoseconds: loop.device.clock))
        }
        do { let result = loop.prefill(); #expect(result) }
        for key in [60, 64, 67] { input(.noteOn(channel: 0, key: key, velocity: 100), from: keyboard) }
        input(.noteOn(channel: 1, key: 40, velocity: 100), from: other)
        do { let result = loop.cycle(engine: &engine); #expect(result) }
        #expect(engine.activeVoiceCount == 4)
        for message in held.release(.clientExit(keyboard.client)) ?? [] {
            ring.push(RingEvent(message: message, arrivalNanoseconds: loop.device.clock))
        }
        do { let result = loop.cycle(engine: &engine); #expect(result) }
        #expect(engine.activeVoiceCount == 1)
    }
}
