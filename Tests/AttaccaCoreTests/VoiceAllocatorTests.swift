import Testing
@testable import AttaccaCore

/// Voice stealing: the pool never grows, note-offs are never lost, the policy is FluidSynth's
/// overflow priority (VoicePool): released before sustained before held, percussion kept, young
/// voices kept.
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
        // Every sounding voice got its note-off, including those whose note outlived stolen ones
        // (the youngest release once they have sounded the minimum note length, 10 ms).
        #expect(s.voiceSnapshots.allSatisfy { $0.noteOffReceived })
        _ = Measure.render(&s, frames: 512)
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
        // Half a second apart, so age (1000 / seconds) weighs less than being released (-2000).
        var s = try synth(polyphony: 4, release: 4800)
        for key in [60, 62, 64, 65] {
            s.send(.noteOn(channel: 0, key: key, velocity: 100))
            _ = Measure.render(&s, frames: 24000)
        }
        s.send(.noteOff(channel: 0, key: 64))  // released, but newer than 60 and 62
        _ = Measure.render(&s, frames: 24000)
        s.send(.noteOn(channel: 0, key: 67, velocity: 100))
        #expect(Set(s.voiceSnapshots.map(\.key)) == [60, 62, 65, 67])
    }

    @Test func sustainedVoicesGoBeforeHeldOnesAndTheOldestBeforeNewer() throws {
        var s = try synth(polyphony: 3, release: 4800)
        for key in [60, 62, 64] {
            s.send(.noteOn(channel: 0, key: key, velocity: 100))
            _ = Measure.render(&s, frames: 24000)
        }
        // 64, the newest, is sustained by the pedal (-1000): it goes before the held 60 and 62.
        s.send(.controlChange(channel: 0, controller: 64, value: 127))
        s.send(.noteOff(channel: 0, key: 64))
        _ = Measure.render(&s, frames: 24000)
        s.send(.noteOn(channel: 0, key: 65, velocity: 100))
        #expect(Set(s.voiceSnapshots.map(\.key)) == [60, 62, 65])
        // Nothing released or sustained now: the oldest (60) goes.
        _ = Measure.render(&s, frames: 24000)
        s.send(.noteOn(channel: 0, key: 67, velocity: 100))
        #expect(Set(s.voiceSnapshots.map(\.key)) == [62, 65, 67])
    }

    @Test func percussionVoicesAreKept() throws {
        // The a440 preset at bank 0 and again at bank 128 (channel 10's kit).
        let base = TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, 4800)])
        let kit = Preset(name: "kit", bank: 128, program: 0, zones: base.presets[0].zones)
        let font = SoundFont(presets: base.presets + [kit], instruments: base.instruments, samples: base.samples,
                             sampleData: Array(base.sampleData))
        var s = try Synthesizer(soundFont: font, settings: SynthesizerSettings(polyphony: 2))
        s.send(.noteOn(channel: 9, key: 40, velocity: 100))
        try #require(s.activeVoiceCount == 1)
        _ = Measure.render(&s, frames: 24000)
        s.send(.noteOn(channel: 0, key: 60, velocity: 100))
        _ = Measure.render(&s, frames: 24000)
        // The drum note is the oldest but has +4000: the melodic note is stolen.
        s.send(.noteOn(channel: 0, key: 62, velocity: 100))
        #expect(Set(s.voiceSnapshots.map { [$0.channel, $0.key] }) == [[9, 40], [0, 62]])
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
        _ = Measure.render(&s, frames: 1024)  // past the minimum note length (restruck sooner, it waits for it)
        s.send(.noteOn(channel: 0, key: 60, velocity: 100))
        let voices = s.voiceSnapshots
        #expect(voices.count == 2)
        #expect(voices.filter(\.isReleased).count == 1)
        s.send(.noteOff(channel: 0, key: 60))
        _ = Measure.render(&s, frames: 1024)  // past the minimum note length, 10 ms (480 frames)
        #expect(s.voiceSnapshots.allSatisfy { $0.isReleased })
    }
}
