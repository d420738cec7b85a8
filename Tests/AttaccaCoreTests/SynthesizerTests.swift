import Glibc
import Testing
@testable import AttaccaCore

/// Whole-synthesizer behaviour: event timing, pedals, exclusive class, programs, loops, resets.
@Suite struct SynthesizerTests {
    /// Renders one block with events through `render(...events:)`.
    func renderBlock(_ synth: inout Synthesizer, frames: Int, events: [TimedMidiMessage]) -> [Float] {
        var left = [Float](repeating: 1, count: frames), right = [Float](repeating: 1, count: frames)
        events.withUnsafeBufferPointer { e in
            left.withUnsafeMutableBufferPointer { l in
                right.withUnsafeMutableBufferPointer { r in
                    synth.render(left: l.baseAddress!, right: r.baseAddress!, frameCount: frames, events: e)
                }
            }
        }
        return left
    }

    /// Pedal bookkeeping tests send a note-on and its note-off at the same instant; the minimum
    /// note length (tested on its own below) would hold those releases back by 10 ms.
    static var releasingAtOnce: SynthesizerSettings {
        var settings = SynthesizerSettings()
        settings.minimumNoteMilliseconds = 0
        return settings
    }

    @Test func noteOnStartsExactlyAtItsFrame() throws {
        let font = TestSoundFont.a440()
        for block in [64, 100, 512, 1024] {
            for k in [0, 1, 37, block / 2, block - 1] {
                var synth = try Synthesizer(soundFont: font)
                let out = renderBlock(&synth, frames: block,
                                      events: [TimedMidiMessage(frame: Int32(k), message: .noteOn(channel: 0, key: 69, velocity: 100))])
                let first = out.firstIndex { $0 != 0 }
                #expect(first == k, "block \(block), k \(k): first nonzero at \(String(describing: first))")
            }
        }
    }

    @Test func noteOffAtItsFrameStartsTheRelease() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, -12000)]))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        _ = Measure.render(&synth, frames: 4800)
        let out = renderBlock(&synth, frames: 1024, events: [TimedMidiMessage(frame: 300, message: .noteOff(channel: 0, key: 69))])
        // 1 ms release: sounding before frame 300, silent (voice freed) a little after.
        #expect(Measure.peak(out, 200..<300) > 0.01)
        #expect(Measure.peak(out, 500..<1024) == 0)
        #expect(synth.activeVoiceCount == 0)
    }

    /// A note-on and its note-off in one period (a drum pad, a key tapped, a player sending both
    /// at once): the release waits for the minimum note length (10 ms, FluidSynth's
    /// `synth.min-note-length`), to the sub-block boundary at or after it: 512 frames at 48 kHz.
    @Test func aNoteOffRightAfterItsNoteOnWaitsForTheMinimumNoteLength() throws {
        let font = TestSoundFont.a440(instrumentGenerators: [(.attackVolEnv, -7973), (.releaseVolEnv, -7973)])  // 10 ms each
        var early = try Synthesizer(soundFont: font)
        let together = renderBlock(&early, frames: 2048, events: [
            TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 69, velocity: 100)),
            TimedMidiMessage(frame: 0, message: .noteOff(channel: 0, key: 69))])
        var late = try Synthesizer(soundFont: font)
        let held = renderBlock(&late, frames: 2048, events: [
            TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 69, velocity: 100)),
            TimedMidiMessage(frame: 512, message: .noteOff(channel: 0, key: 69))])
        var sustained = try Synthesizer(soundFont: font)
        let full = Measure.peak(renderBlock(&sustained, frames: 2048, events: [
            TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 69, velocity: 100))]), 0..<2048)
        #expect(together == held)
        #expect(Measure.peak(together, 0..<2048) > full / 2)
        // Without it the note is released at its first frame: its attack never rises.
        var settings = SynthesizerSettings()
        settings.minimumNoteMilliseconds = 0
        var immediate = try Synthesizer(soundFont: font, settings: settings)
        let released = renderBlock(&immediate, frames: 2048, events: [
            TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 69, velocity: 100)),
            TimedMidiMessage(frame: 0, message: .noteOff(channel: 0, key: 69))])
        #expect(Measure.peak(released, 0..<2048) < full / 10)
    }

    /// Every way a voice can be let go in its first frame waits for the minimum note length, as
    /// each of FluidSynth's releases does: a key struck twice at once (a MIDI file that doubles a
    /// note), a pedal let up at once, a legato note. Without it the earlier voice is never heard
    /// (planetblupi's music000.mid lost its doubled notes: 5 dB quieter than FluidSynth there).
    @Test(arguments: ["restrike", "sustain", "sostenuto", "legato"])
    func everyReleaseOfAYoungVoiceWaitsForTheMinimumNoteLength(_ way: String) throws {
        let font = TestSoundFont.a440(instrumentGenerators: [(.attackVolEnv, -7973), (.releaseVolEnv, -7973)])  // 10 ms each
        let on = TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 69, velocity: 100))
        let events: [TimedMidiMessage]
        switch way {
        case "restrike":
            events = [on, on]
        case "sustain":
            events = [TimedMidiMessage(frame: 0, message: .controlChange(channel: 0, controller: 64, value: 127)), on,
                      TimedMidiMessage(frame: 0, message: .noteOff(channel: 0, key: 69)),
                      TimedMidiMessage(frame: 0, message: .controlChange(channel: 0, controller: 64, value: 0))]
        case "sostenuto":
            events = [on, TimedMidiMessage(frame: 0, message: .controlChange(channel: 0, controller: 66, value: 127)),
                      TimedMidiMessage(frame: 0, message: .noteOff(channel: 0, key: 69)),
                      TimedMidiMessage(frame: 0, message: .controlChange(channel: 0, controller: 66, value: 0))]
        default:  // mono (CC126), legato mode retrigger: the held note's voice is let go as the next one starts
            events = [TimedMidiMessage(frame: 0, message: .controlChange(channel: 0, controller: 126, value: 1)), on,
                      TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 81, velocity: 100))]
        }
        func peak(minimum: Double) throws -> Float {
            var settings = SynthesizerSettings()
            settings.minimumNoteMilliseconds = minimum
            settings.legatoMode = .retrigger
            var synth = try Synthesizer(soundFont: font, settings: settings)
            return Measure.peak(renderBlock(&synth, frames: 2048, events: events), 0..<2048)
        }
        var single = try Synthesizer(soundFont: font)
        let full = Measure.peak(renderBlock(&single, frames: 2048, events: [on]), 0..<2048)
        var upper = try Synthesizer(soundFont: font)
        let octave = Measure.peak(renderBlock(&upper, frames: 2048, events: [
            TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 81, velocity: 100))]), 0..<2048)
        let waited = try peak(minimum: 10), immediate = try peak(minimum: 0)
        switch way {
        case "restrike":  // two voices in phase, then one
            #expect(waited > full * 1.8, "\(waited) against one note's \(full)")
            #expect(immediate < full * 1.1)
        case "legato":  // the octave above alone, or with the first note's 10 ms under it
            #expect(waited > octave * 1.3, "\(waited) against the upper note's \(octave)")
            #expect(immediate < octave * 1.1)
        default:
            #expect(waited > full / 2, "\(waited) against a held note's \(full)")
            #expect(immediate < full / 10)
        }
    }

    /// A note-off after the minimum length releases at its own frame, as before.
    @Test func aNoteOffAfterTheMinimumNoteLengthIsNotDeferred() throws {
        let font = TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, -12000)])
        var synth = try Synthesizer(soundFont: font)
        let out = renderBlock(&synth, frames: 2048, events: [
            TimedMidiMessage(frame: 0, message: .noteOn(channel: 0, key: 69, velocity: 100)),
            TimedMidiMessage(frame: 700, message: .noteOff(channel: 0, key: 69))])
        #expect(Measure.peak(out, 600..<700) > 0.01)
        #expect(Measure.peak(out, 900..<2048) == 0)
    }

    @Test func sustainPedalHoldsNotesUntilPedalUp() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        synth.send(.controlChange(channel: 0, controller: 64, value: 127))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        synth.send(.noteOn(channel: 0, key: 72, velocity: 100))
        _ = Measure.render(&synth, frames: 1000)
        synth.send(.noteOff(channel: 0, key: 69))
        synth.send(.noteOff(channel: 0, key: 72))
        _ = Measure.render(&synth, frames: 1000)
        #expect(synth.voiceSnapshots.allSatisfy { $0.isSustained && !$0.isReleased })
        #expect(synth.activeVoiceCount == 2)
        synth.send(.controlChange(channel: 0, controller: 64, value: 0))
        #expect(synth.voiceSnapshots.allSatisfy { $0.isReleased })
        _ = Measure.render(&synth, frames: 48000)
        #expect(synth.activeVoiceCount == 0)
    }

    @Test func sostenutoHoldsOnlyNotesDownWhenPressed() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440(), settings: Self.releasingAtOnce)
        synth.send(.noteOn(channel: 0, key: 60, velocity: 100))
        synth.send(.controlChange(channel: 0, controller: 66, value: 127))
        synth.send(.noteOn(channel: 0, key: 64, velocity: 100))
        synth.send(.noteOff(channel: 0, key: 60))
        synth.send(.noteOff(channel: 0, key: 64))
        let held = synth.voiceSnapshots
        #expect(held.first { $0.key == 60 }?.isReleased == false)
        #expect(held.first { $0.key == 64 }?.isReleased == true)
        synth.send(.controlChange(channel: 0, controller: 66, value: 0))
        #expect(synth.voiceSnapshots.allSatisfy { $0.isReleased })
    }

    /// FluidSynth's rule: restriking a key is a note-off for its old voice, so under the sustain
    /// pedal the old voice keeps sounding beside the new one until the pedal goes up.
    @Test func restrikingAKeyUnderTheSustainPedalKeepsItsOldVoice() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        synth.send(.controlChange(channel: 0, controller: 64, value: 127))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        synth.send(.noteOff(channel: 0, key: 69))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        var voices = synth.voiceSnapshots
        #expect(voices.count == 2)
        #expect(voices.allSatisfy { !$0.isReleased })
        _ = Measure.render(&synth, frames: 1000)  // past the minimum note length
        synth.send(.noteOff(channel: 0, key: 69))
        synth.send(.controlChange(channel: 0, controller: 64, value: 0))
        voices = synth.voiceSnapshots
        #expect(voices.count == 2 && voices.allSatisfy { $0.isReleased })
    }

    /// A key the sostenuto pedal holds stays held when it is struck again: the new voice keeps
    /// sounding after its key goes up, like the old one, until the pedal goes up (a piano's damper
    /// stays lifted; FluidSynth gives the new voice the held one's id).
    @Test func sostenutoHoldsAKeyStruckAgain() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440(), settings: Self.releasingAtOnce)
        synth.send(.noteOn(channel: 0, key: 60, velocity: 100))
        synth.send(.controlChange(channel: 0, controller: 66, value: 127))
        synth.send(.noteOff(channel: 0, key: 60))
        synth.send(.noteOn(channel: 0, key: 60, velocity: 100))
        synth.send(.noteOff(channel: 0, key: 60))
        synth.send(.noteOn(channel: 0, key: 64, velocity: 100))  // struck after the pedal: not held
        synth.send(.noteOff(channel: 0, key: 64))
        let held = synth.voiceSnapshots
        #expect(held.filter { $0.key == 60 }.count == 2)
        #expect(held.filter { $0.key == 60 }.allSatisfy { !$0.isReleased })
        #expect(held.first { $0.key == 64 }?.isReleased == true)
        synth.send(.controlChange(channel: 0, controller: 66, value: 0))
        #expect(synth.voiceSnapshots.allSatisfy { $0.isReleased })
    }

    @Test func exclusiveClassKillsSameClassOnChannel() throws {
        let font = TestSoundFont.a440(instrumentGenerators: [(.exclusiveClass, 1), (.releaseVolEnv, 2400)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 60, velocity: 100))
        synth.send(.noteOn(channel: 1, key: 60, velocity: 100))  // other channel: untouched
        _ = Measure.render(&synth, frames: 512)
        synth.send(.noteOn(channel: 0, key: 62, velocity: 100))
        _ = Measure.render(&synth, frames: 512)
        let voices = synth.voiceSnapshots
        #expect(voices.count == 2)
        #expect(voices.contains { $0.channel == 0 && $0.key == 62 })
        #expect(voices.contains { $0.channel == 1 && $0.key == 60 })
    }

    @Test func allSoundOffAndAllNotesOff() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, 2400)]), settings: Self.releasingAtOnce)
        for key in 60..<64 { synth.send(.noteOn(channel: 0, key: key, velocity: 100)) }
        synth.send(.controlChange(channel: 0, controller: 123, value: 0))
        #expect(synth.voiceSnapshots.allSatisfy { $0.isReleased })
        #expect(synth.activeVoiceCount == 4)  // long release still sounding
        synth.send(.controlChange(channel: 0, controller: 120, value: 0))
        _ = Measure.render(&synth, frames: 128)
        #expect(synth.activeVoiceCount == 0)
    }

    @Test func resetControllersReleasesSustainedNotes() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        synth.send(.controlChange(channel: 0, controller: 64, value: 127))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        synth.send(.noteOff(channel: 0, key: 69))
        #expect(synth.voiceSnapshots.first?.isReleased == false)
        _ = Measure.render(&synth, frames: 1000)  // past the minimum note length
        synth.send(.controlChange(channel: 0, controller: 121, value: 0))
        #expect(synth.voiceSnapshots.first?.isReleased == true)
    }

    @Test func systemResetStopsEverything() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        for key in 60..<70 { synth.send(.noteOn(channel: 0, key: key, velocity: 100)) }
        synth.send(.pitchBend(channel: 0, value: 0))
        synth.send(.systemReset)
        #expect(synth.activeVoiceCount == 0)
        let out = Measure.render(&synth, frames: 512)
        #expect(Measure.peak(out.left, 0..<512) == 0)
    }

    /// A font with piano (0:0), organ (0:19), a bank-8 variation (8:19) and drums (128:0).
    func multiPresetFont() -> SoundFont {
        let wave = TestSoundFont.cosine(period: 100, cycles: 20)
        var zones: [Instrument] = []
        for root in [69, 57, 45, 81] {  // a different root per instrument tells them apart by pitch
            var zone = Zone()
            zone.generators[.sampleID] = 0
            zone.generators[.sampleModes] = 1
            zone.generators[.overridingRootKey] = Int16(root)
            zones.append(Instrument(name: "i\(root)", zones: [zone]))
        }
        func preset(_ bank: Int, _ program: Int, _ instrument: Int) -> Preset {
            var zone = Zone()
            zone.generators[.instrument] = Int16(instrument)
            return Preset(name: "p", bank: bank, program: program, zones: [zone])
        }
        let header = SampleHeader(name: "s", start: 0, end: wave.count, loopStart: 0, loopEnd: wave.count,
                                  sampleRate: 44000, originalPitch: 69, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        return SoundFont(presets: [preset(0, 0, 0), preset(0, 19, 1), preset(8, 19, 2), preset(128, 0, 3)],
                         instruments: zones, samples: [header], sampleData: wave + Array(repeating: 0, count: 46))
    }

    func pitch(_ font: SoundFont, channel: Int, setup: [MidiMessage]) throws -> Double {
        var synth = try Synthesizer(soundFont: font)
        for m in setup { synth.send(m) }
        synth.send(.noteOn(channel: channel, key: 69, velocity: 100))
        return Measure.frequency(Measure.render(&synth, frames: 24000).left, sampleRate: 48000, from: 2400)
    }

    @Test func programChangeWithBankSelectAndFallbacks() throws {
        let font = multiPresetFont()
        #expect(abs(try pitch(font, channel: 0, setup: []) - 440) < 0.5)  // 0:0
        #expect(abs(try pitch(font, channel: 0, setup: [.programChange(channel: 0, program: 19)]) - 880) < 0.5)
        let bank8: [MidiMessage] = [.controlChange(channel: 0, controller: 0, value: 8), .programChange(channel: 0, program: 19)]
        #expect(abs(try pitch(font, channel: 0, setup: bank8) - 1760) < 1)
        // Bank 8 program 0 is missing: falls back to bank 0 program 0.
        let missing: [MidiMessage] = [.controlChange(channel: 0, controller: 0, value: 8), .programChange(channel: 0, program: 0)]
        #expect(abs(try pitch(font, channel: 0, setup: missing) - 440) < 0.5)
        // Program 5 is missing everywhere: bank 0 program 0.
        #expect(abs(try pitch(font, channel: 0, setup: [.programChange(channel: 0, program: 5)]) - 440) < 0.5)
        // Channel 10 plays bank 128, and falls back to 128:0 for a missing drum kit.
        #expect(abs(try pitch(font, channel: 9, setup: []) - 220) < 0.5)
        #expect(abs(try pitch(font, channel: 9, setup: [.programChange(channel: 9, program: 40)]) - 220) < 0.5)
    }

    @Test func unloopedSampleEndsTheVoice() throws {
        let wave = TestSoundFont.cosine(period: 100, cycles: 48)  // 4800 points at 48 kHz = 0.1 s
        let font = TestSoundFont.make(sample: wave, sampleRate: 48000, originalPitch: 60)
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 60, velocity: 100))
        let out = Measure.render(&synth, frames: 9600).left
        #expect(Measure.peak(out, 4000..<4700) > 0.01)
        #expect(Measure.peak(out, 4900..<9600) == 0)
        #expect(synth.activeVoiceCount == 0)
    }

    @Test func loopUntilReleaseThenPlaysToEnd() throws {
        // Loop 1000..<2000 of a 4800-point sample; mode 3 leaves the loop at note-off.
        let wave = TestSoundFont.cosine(period: 100, cycles: 48)
        let font = TestSoundFont.make(sample: wave, sampleRate: 48000, originalPitch: 60, loop: 1000..<2000,
                                      sampleMode: 3, instrumentGenerators: [(.releaseVolEnv, 1200)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 60, velocity: 100))
        _ = Measure.render(&synth, frames: 48000)
        #expect(synth.activeVoiceCount == 1)  // still looping after 1 s
        synth.send(.noteOff(channel: 0, key: 60))
        _ = Measure.render(&synth, frames: 4800)  // at most 2800 points left after the loop
        #expect(synth.activeVoiceCount == 0)
        // Mode 1 keeps looping through the release.
        let looping = TestSoundFont.make(sample: wave, sampleRate: 48000, originalPitch: 60, loop: 1000..<2000,
                                         sampleMode: 1, instrumentGenerators: [(.releaseVolEnv, 1200)])
        var synth2 = try Synthesizer(soundFont: looping)
        synth2.send(.noteOn(channel: 0, key: 60, velocity: 100))
        _ = Measure.render(&synth2, frames: 48000)
        synth2.send(.noteOff(channel: 0, key: 60))
        _ = Measure.render(&synth2, frames: 4800)
        #expect(synth2.activeVoiceCount == 1)
    }

    @Test func sampleStartOffsetSkipsPoints() throws {
        // A sample that is silent for 2400 points then loud; startAddrsOffset 2400 skips the silence.
        let sample = Array(repeating: Int16(0), count: 2400) + TestSoundFont.cosine(period: 100, cycles: 24)
        let font = TestSoundFont.make(sample: sample, sampleRate: 48000, originalPitch: 60,
                                      instrumentGenerators: [(.startAddrsOffset, 2400)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 60, velocity: 100))
        let out = Measure.render(&synth, frames: 256).left
        #expect(out[0] != 0)
    }

    @Test func volumeAndExpressionAttenuate() throws {
        func level(_ messages: [MidiMessage]) throws -> Float {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440())
            for m in messages { synth.send(m) }
            synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
            return Measure.peak(Measure.render(&synth, frames: 9600).left, 4800..<9600)
        }
        let full = try level([.controlChange(channel: 0, controller: 7, value: 127)])
        let half = try level([.controlChange(channel: 0, controller: 7, value: 64)])
        // concave(127 × (1 - 64/128) = 63.5) × 960 cB minus concave(127/128) × 960.
        let c = { (x: Double) -> Double in -20.0 / 96 * log10(pow((127 - x) / 127, 2)) }
        let expected = 960 * (c(63) + (c(64) - c(63)) * 0.5) - 960 * c(0.9921875) * 1
        let measured = 200 * log10(Double(full / half))
        #expect(abs(measured - expected) < 0.5, "\(measured) cB vs \(expected)")
        let silent = try level([.controlChange(channel: 0, controller: 11, value: 0)])
        #expect(silent < full * 1e-4)
    }

    @Test func gainSettingScalesOutput() throws {
        func level(_ gain: Float) throws -> Float {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440(), settings: SynthesizerSettings(gain: gain))
            synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
            return Measure.peak(Measure.render(&synth, frames: 9600).left, 4800..<9600)
        }
        let one = try level(1), half = try level(0.5)
        #expect(abs(half / one - 0.5) < 1e-4)
        // Absolute level as FluidSynth computes it: points/32768 × centre pan sin(500π/2002)
        // × 10^(-cB/200) for velocity 127 and CC7 100 (concave, 960 cB) × the filter's passband
        // gain 1/sqrt(10^(-3.01/20)) (initialFilterQ 0). CC11 is 127.
        func concave(_ x: Double) -> Double {
            let i = Int(x)
            let c = { (j: Int) -> Double in j == 0 ? 0 : -20.0 / 96 * log10(pow(Double(127 - j) / 127, 2)) }
            return c(i) + (c(i + 1) - c(i)) * (x - Double(i))
        }
        // Velocity 127 and CC11 127 each add concave(127/128) × 960 = 1.36 cB (FluidSynth's /128).
        let centibels = 2 * 960 * concave(127 * (1 - 127.0 / 128)) + 960 * concave(127 * (1 - 100.0 / 128))
        let expected = 16000.0 / 32768 * sin(500 * Double.pi / 2002) * pow(10, -centibels / 200)
            / sqrt(pow(10, -3.01 / 20))
        #expect(abs(Double(one) / expected - 1) < 0.01, "level \(one), expected \(expected)")
    }
}
