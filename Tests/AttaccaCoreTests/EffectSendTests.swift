import Glibc
import Testing
@testable import AttaccaCore

/// Voices feed the reverb and chorus buses by SF2 generators 15/16 plus the CC91/CC93 default
/// modulators; effects off (or nothing sent) leaves the output exactly the dry mix.
@Suite struct EffectSendTests {
    static let rate = 48000

    /// Note-on (velocity 100) for 1 s with `cc91`/`cc93` set first, note-off, then 3 s.
    static func renderNote(_ font: SoundFont, settings: SynthesizerSettings, cc91: Int = 0, cc93: Int = 0,
                           key: Int = 69) throws -> (left: [Float], right: [Float]) {
        var synth = try Synthesizer(soundFont: font, settings: settings)
        synth.send(.controlChange(channel: 0, controller: 91, value: cc91))
        synth.send(.controlChange(channel: 0, controller: 93, value: cc93))
        synth.send(.noteOn(channel: 0, key: key, velocity: 100))
        let held = Measure.render(&synth, frames: rate)
        synth.send(.noteOff(channel: 0, key: key))
        let after = Measure.render(&synth, frames: 3 * rate)
        return (held.left + after.left, held.right + after.right)
    }

    static func energy(_ signal: (left: [Float], right: [Float]), _ range: Range<Int>) -> Double {
        range.reduce(0.0) { $0 + Double($1 < signal.left.count ? signal.left[$1] * signal.left[$1] + signal.right[$1] * signal.right[$1] : 0) }
    }

    /// A piano-like note: the 440 Hz font with a 0.5 s release.
    static func font(reverbSend: Int16 = 0, chorusSend: Int16 = 0) -> SoundFont {
        TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, -1200), (.reverbEffectsSend, reverbSend),
                                                  (.chorusEffectsSend, chorusSend)])
    }

    /// The goal: 1-2 s after the release, CC91 = 127 leaves at least 10 dB more energy than 0.
    @Test func cc91LeavesAReverbTail() throws {
        let settings = SynthesizerSettings(sampleRate: Self.rate)
        let dry = try Self.renderNote(Self.font(), settings: settings, cc91: 0)
        let wet = try Self.renderNote(Self.font(), settings: settings, cc91: 127)
        let window = (2 * Self.rate)..<(3 * Self.rate)
        let note = Self.energy(dry, 0..<Self.rate)
        let dryTail = Self.energy(dry, window), wetTail = Self.energy(wet, window)
        #expect(dryTail == 0)  // the release is over: no send, no sound
        #expect(10 * log10(wetTail / note) > -50)  // an audible tail
        #expect(10 * log10(wetTail / max(dryTail, note * 1e-12)) >= 10)
    }

    /// The reverb is linear and its input is the voice × send: with a font's own send of 10 %,
    /// CC91 = 127 adds 200 × 127/128 tenths of a percent, so the tail's energy grows by
    /// 20·log10(298.4375 / 100) dB.
    @Test func sendsAddUpAsTheSpecSays() throws {
        let settings = SynthesizerSettings(sampleRate: Self.rate, chorus: ChorusSettings(isEnabled: false))
        let low = try Self.renderNote(Self.font(reverbSend: 100), settings: settings, cc91: 0)
        let high = try Self.renderNote(Self.font(reverbSend: 100), settings: settings, cc91: 127)
        let window = (2 * Self.rate)..<(3 * Self.rate)
        let gain = 10 * log10(Self.energy(high, window) / Self.energy(low, window))
        #expect(abs(gain - 20 * log10(298.4375 / 100)) < 0.05)
        // A send above 100 % is clamped (fluid_voice.c): 900 + 198 acts as 1000.
        let full = try Self.renderNote(Self.font(reverbSend: 1000), settings: settings, cc91: 0)
        let over = try Self.renderNote(Self.font(reverbSend: 900), settings: settings, cc91: 127)
        #expect(full.left == over.left)
    }

    /// A system reset silences the tails at once, as FluidSynth's (fluid_synth_system_reset).
    @Test func systemResetClearsTheTails() throws {
        var synth = try Synthesizer(soundFont: Self.font(reverbSend: 500, chorusSend: 500),
                                    settings: SynthesizerSettings(sampleRate: Self.rate))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        _ = Measure.render(&synth, frames: Self.rate / 2)
        synth.send(.noteOff(channel: 0, key: 69))
        let tail = Measure.render(&synth, frames: Self.rate)
        #expect(Measure.peak(tail.left, (Self.rate / 2)..<Self.rate) > 1e-4)  // the release is over, the reverb goes on
        synth.send(.systemReset)
        let after = Measure.render(&synth, frames: 4800)
        #expect(Measure.peak(after.left, 0..<4800) == 0)
        #expect(Measure.peak(after.right, 0..<4800) == 0)
    }

    /// Nothing sent (no generators, CC91 = CC93 = 0): effects on renders exactly as effects off,
    /// so the comparisons against FluidSynth with its effects off stand.
    @Test func nothingSentIsBitIdenticalToEffectsOff() throws {
        let on = SynthesizerSettings(sampleRate: Self.rate)
        let off = on.withoutEffects
        #expect(try Self.renderNote(Self.font(), settings: on).left == Self.renderNote(Self.font(), settings: off).left)
        // Many voices (the filter's four-voice path) through the default font, also bypassed filters.
        func chords(_ settings: SynthesizerSettings) throws -> [Float] {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440(), settings: settings)
            for key in stride(from: 40, to: 90, by: 3) { synth.send(.noteOn(channel: 0, key: key, velocity: 90)) }
            return Measure.render(&synth, frames: 9600, block: 100).left
        }
        #expect(try chords(on) == chords(off))
    }

    /// A font's own chorus send (generator 15) and CC93 reach the chorus; with the chorus off
    /// they change nothing.
    @Test func chorusSendsReachTheChorus() throws {
        let reverbOff = SynthesizerSettings(sampleRate: Self.rate, reverb: ReverbSettings(isEnabled: false))
        let dry = try Self.renderNote(Self.font(), settings: reverbOff.withoutEffects)
        let byGenerator = try Self.renderNote(Self.font(chorusSend: 500), settings: reverbOff)
        let byController = try Self.renderNote(Self.font(), settings: reverbOff, cc93: 127)
        #expect(byGenerator.left != dry.left)
        #expect(byController.left != dry.left)
        #expect(byGenerator.left != byGenerator.right)  // the chorus spreads a centred voice
        var chorusOff = reverbOff
        chorusOff.chorus.isEnabled = false
        #expect(try Self.renderNote(Self.font(chorusSend: 500), settings: chorusOff, cc93: 127).left == dry.left)
    }

    /// Many voices with sends through every mixing path (four-voice groups, pairs, single,
    /// bypassed filter): the send bus carries their sum, so the reverb's tail is the same
    /// whichever path each voice took. Checked by splitting the same notes across two channels
    /// whose sends add up to the one channel's.
    @Test func everyMixingPathFeedsTheSends() throws {
        func render(_ sends: [(channel: Int, cc91: Int)], keys: [Int]) throws -> [Float] {
            var settings = SynthesizerSettings(sampleRate: Self.rate, chorus: ChorusSettings(isEnabled: false))
            settings.gain = 0.2
            var synth = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, -2400)]),
                                        settings: settings)
            for (channel, value) in sends { synth.send(.controlChange(channel: channel, controller: 91, value: value)) }
            for (i, key) in keys.enumerated() {
                synth.send(.noteOn(channel: sends[i % sends.count].channel, key: key, velocity: 100))
            }
            var out = Measure.render(&synth, frames: 4800, block: 64).left
            for (i, key) in keys.enumerated() { synth.send(.noteOff(channel: sends[i % sends.count].channel, key: key)) }
            out += Measure.render(&synth, frames: 48000, block: 64).left
            return out
        }
        let keys = Array(stride(from: 45, to: 88, by: 2))  // 22 voices
        let tail = 24000..<52800
        let with = try render([(0, 100)], keys: keys)
        let without = try render([(0, 0)], keys: keys)
        #expect(Measure.peak(without, tail) == 0)
        #expect(Measure.peak(with, tail) > 1e-4)
        // Half the voices alone: the tail is smaller but present.
        let half = try render([(0, 100)], keys: Array(keys.prefix(7)))
        #expect(Measure.peak(half, tail) > 0 && Measure.peak(half, tail) < Measure.peak(with, tail))
    }
}
