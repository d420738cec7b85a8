import Testing
@testable import AttaccaCore

/// Voice stealing: the pool never grows, note-offs are never lost, the policy picks released
/// voices first.
@Suite struct VoiceAllocatorTests {
    func synth(polyphony: Int, release: Int16 = 1200) throws -> Synthesizer {
        try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, release)]),
                        settings: SynthesizerSettings(polyphony: polyphony))
    }

    @Test func poolSizeIsKeptAndNoNoteOffIsLost() throws {
        var s = try synth(polyphony: 8)
        for key in 40..<80 {
            s.send(.noteOn(channel: key % 3, key: key, velocity: 100))
            #expect(s.activeVoiceCount <= 8)
            _ = Measure.render(&s, frames: 64)
        }
        #expect(s.activeVoiceCount == 8)
        for key in 40..<80 { s.send(.noteOff(channel: key % 3, key: key)) }
        // Every sounding voice got its note-off, including those whose note outlived stolen ones.
        #expect(s.voiceSnapshots.allSatisfy { $0.isReleased })
        _ = Measure.render(&s, frames: 48000 * 3)
        #expect(s.activeVoiceCount == 0)
    }

    @Test func noteOffForStolenVoiceIsHarmless() throws {
        var s = try synth(polyphony: 2)
        s.send(.noteOn(channel: 0, key: 60, velocity: 100))
        _ = Measure.render(&s, frames: 64)
        s.send(.noteOn(channel: 0, key: 62, velocity: 100))
        _ = Measure.render(&s, frames: 64)
        s.send(.noteOn(channel: 0, key: 64, velocity: 100))  // steals the oldest (60)
        #expect(!s.voiceSnapshots.contains { $0.key == 60 })
        s.send(.noteOff(channel: 0, key: 60))
        #expect(s.voiceSnapshots.allSatisfy { !$0.isReleased })
        #expect(s.activeVoiceCount == 2)
    }

    @Test func releasedVoicesAreStolenFirst() throws {
        var s = try synth(polyphony: 4, release: 4800)
        for key in [60, 62, 64, 65] {
            s.send(.noteOn(channel: 0, key: key, velocity: 100))
            _ = Measure.render(&s, frames: 64)
        }
        s.send(.noteOff(channel: 0, key: 64))  // released, but newer than 60 and 62
        _ = Measure.render(&s, frames: 64)
        s.send(.noteOn(channel: 0, key: 67, velocity: 100))
        let keys = Set(s.voiceSnapshots.map(\.key))
        #expect(keys == [60, 62, 65, 67])
    }

    @Test func voicesStartedInTheSameBlockAreSparedWhenPossible() throws {
        var s = try synth(polyphony: 3)
        s.send(.noteOn(channel: 0, key: 50, velocity: 100))
        _ = Measure.render(&s, frames: 64)
        // Three notes in one block: the third must steal the old note, not one of the new.
        var left = [Float](repeating: 0, count: 64), right = left
        let events = [TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 60, velocity: 100)),
                      TimedMidiMessage(frame: 1, message: .noteOn(channel: 0, key: 61, velocity: 100)),
                      TimedMidiMessage(frame: 2, message: .noteOn(channel: 0, key: 62, velocity: 100))]
        events.withUnsafeBufferPointer { e in
            s.render(left: &left, right: &right, frameCount: 64, events: e)
        }
        #expect(Set(s.voiceSnapshots.map(\.key)) == [60, 61, 62])
    }

    @Test func restrikingAKeyReleasesItsOldVoice() throws {
        var s = try synth(polyphony: 8)
        s.send(.noteOn(channel: 0, key: 60, velocity: 100))
        s.send(.noteOn(channel: 0, key: 60, velocity: 100))
        let voices = s.voiceSnapshots
        #expect(voices.count == 2)
        #expect(voices.filter(\.isReleased).count == 1)
        s.send(.noteOff(channel: 0, key: 60))
        #expect(s.voiceSnapshots.allSatisfy { $0.isReleased })
    }
}
