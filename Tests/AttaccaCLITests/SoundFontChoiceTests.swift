import AttaccaCore
@testable import attacca
import Glibc
import Testing

@Suite struct SoundFontChoiceTests {
    @Test func optionWins() {
        let choice = SoundFontChoice(option: "my.sf2") { _ in true }
        #expect(choice == .file(path: "my.sf2", origin: nil))
        #expect(choice.announcement == "soundfont: my.sf2")
    }

    @Test func firstInstalledDebianSoundFont() {
        let choice = SoundFontChoice(option: nil) { $0.hasSuffix("TimGM6mb.sf2") || $0.hasSuffix("default-GM.sf2") }
        #expect(choice == .file(path: "/usr/share/sounds/sf2/TimGM6mb.sf2", origin: "Debian timgm6mb-soundfont"))
        let fluid = SoundFontChoice(option: nil) { _ in true }
        #expect(fluid.announcement == "soundfont: /usr/share/sounds/sf2/FluidR3_GM.sf2 (Debian fluid-soundfont-gm)")
    }

    @Test func embeddedWhenNothingIsInstalled() {
        let choice = SoundFontChoice(option: nil) { _ in false }
        #expect(choice == .embedded)
        #expect(choice.announcement == "soundfont: embedded Attacca Default")
    }

    @Test func summaryLine() {
        let result = RenderResult(outputPath: "out.wav", frameCount: 592_320, sampleRate: 48000, peak: 0.6918,
                                  mostVoices: 87, elapsedSeconds: 0.3)
        #expect(result.summary == "rendered out.wav: 12.34 s, 48000 Hz, peak -3.2 dBFS, 87 voices at most, 41.1x real time")
        let silent = RenderResult(outputPath: "s.wav", frameCount: 48000, sampleRate: 48000, peak: 0, mostVoices: 0, elapsedSeconds: 0.5)
        #expect(silent.summary.contains("peak -inf dBFS (silent)"))
    }

    /// The built-in SoundFont reaches FluidSynth through a temporary file, which is gone afterwards.
    @Test func embeddedSoundFontPlaysInFluidSynth() throws {
        var engine = try SoundFontChoice.embedded.makeFluidSynthEngine(sampleRate: 48000, polyphony: 64, gain: 1)
        engine.send(.noteOn(channel: 0, key: 60, velocity: 100))
        var left = [Float](repeating: 0, count: 4800), right = left
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in engine.render(left: l.baseAddress!, right: r.baseAddress!, frameCount: 4800) }
        }
        #expect(left.map(abs).max() ?? 0 > 0.01)
        var matches = glob_t()
        defer { globfree(&matches) }
        #expect(glob("/tmp/attacca-default-*.sf2", 0, nil, &matches) == GLOB_NOMATCH)
    }
}
