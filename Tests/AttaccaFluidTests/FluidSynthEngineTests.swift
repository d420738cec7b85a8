import AttaccaCore
import AttaccaFluid
import Glibc
import Testing

private let timGM = "/usr/share/sounds/sf2/TimGM6mb.sf2"
private let hasTimGM = access(timGM, R_OK) == 0

/// Renders `frameCount` frames in blocks of `blockSize`, applying `events` (absolute frames).
func render<E: SoundEngine & ~Copyable>(_ engine: inout E, frameCount: Int, blockSize: Int,
                                        events: [(frame: Int, message: MidiMessage)] = []) -> (left: [Float], right: [Float]) {
    var left = [Float](repeating: .nan, count: frameCount), right = left
    var start = 0
    while start < frameCount {
        let count = min(blockSize, frameCount - start)
        let inBlock = events.filter { $0.frame >= start && $0.frame < start + count }
            .map { TimedMidiMessage(frame: Int32($0.frame - start), message: $0.message) }
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                inBlock.withUnsafeBufferPointer { e in
                    engine.render(left: l.baseAddress! + start, right: r.baseAddress! + start, frameCount: count, events: e)
                }
            }
        }
        start += count
    }
    return (left, right)
}

private func peak(_ samples: ArraySlice<Float>) -> Float { samples.reduce(0) { max($0, abs($1)) } }

@Suite struct FluidSynthEngineTests {
    @Test(.enabled(if: hasTimGM, "TimGM6mb.sf2 is not installed"))
    func noteSoundsAndAllSoundOffSilences() throws {
        var engine = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 48000)
        #expect(engine.sampleRate == 48000)
        engine.send(.noteOn(channel: 0, key: 60, velocity: 100))
        let sounding = render(&engine, frameCount: 4800, blockSize: 512)
        #expect(peak(sounding.left[...]) > 0.01)
        #expect(peak(sounding.right[...]) > 0.01)
        #expect(engine.activeVoiceCount > 0)

        engine.send(.controlChange(channel: 0, controller: 120, value: 0))  // All Sound Off
        _ = render(&engine, frameCount: 128, blockSize: 128)
        let after = render(&engine, frameCount: 4800, blockSize: 512)
        #expect(peak(after.left[...]) == 0)
        #expect(peak(after.right[...]) == 0)
        #expect(engine.activeVoiceCount == 0)
    }

    @Test(.enabled(if: hasTimGM, "TimGM6mb.sf2 is not installed"))
    func programChangeSelectsAnotherSound() throws {
        var piano = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 44100)
        var organ = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 44100)
        organ.send(.programChange(channel: 0, program: 19))
        piano.send(.noteOn(channel: 0, key: 64, velocity: 90))
        organ.send(.noteOn(channel: 0, key: 64, velocity: 90))
        let a = render(&piano, frameCount: 2048, blockSize: 256)
        let b = render(&organ, frameCount: 2048, blockSize: 256)
        #expect(peak(b.left[...]) > 0.01)
        #expect(a.left != b.left)
    }

    /// FluidSynth's system reset releases sounding notes (they fade with their release time)
    /// rather than cutting them; a held organ note without the reset keeps sounding.
    @Test(.enabled(if: hasTimGM, "TimGM6mb.sf2 is not installed"))
    func systemResetReleasesHeldNotes() throws {
        var held = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 48000)
        var reset = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 48000)
        for index in 0..<2 {
            let messages: [MidiMessage] = [.programChange(channel: 0, program: 19), .noteOn(channel: 0, key: 60, velocity: 100)]
            for message in messages {
                if index == 0 { held.send(message) } else { reset.send(message) }
            }
        }
        _ = render(&held, frameCount: 4800, blockSize: 512)
        _ = render(&reset, frameCount: 4800, blockSize: 512)
        reset.send(.systemReset)
        _ = render(&held, frameCount: 96000, blockSize: 512)
        _ = render(&reset, frameCount: 96000, blockSize: 512)
        let heldTail = render(&held, frameCount: 4800, blockSize: 512)
        let resetTail = render(&reset, frameCount: 4800, blockSize: 512)
        #expect(held.activeVoiceCount > 0)
        #expect(peak(heldTail.left[...]) > 0.01)
        #expect(reset.activeVoiceCount == 0)
        #expect(peak(resetTail.left[...]) == 0)
    }

    /// Output must not depend on how the caller slices the stream into blocks.
    @Test(.enabled(if: hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: [1, 37, 64, 100, 4096])
    func blockSizeDoesNotChangeTheOutput(blockSize: Int) throws {
        let events: [(frame: Int, message: MidiMessage)] = [
            (0, .noteOn(channel: 0, key: 60, velocity: 100)),
            (2048, .noteOn(channel: 0, key: 67, velocity: 80)),
            (5120, .noteOff(channel: 0, key: 60)),
        ]
        var reference = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 48000)
        var sliced = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 48000)
        let expected = render(&reference, frameCount: 8192, blockSize: 8192, events: events)
        let actual = render(&sliced, frameCount: 8192, blockSize: blockSize, events: events)
        #expect(actual.left == expected.left)
        #expect(actual.right == expected.right)
    }

    /// FluidSynth applies events at its internal 64-frame block boundaries: a note-on at frame k of
    /// the stream starts its voice at the first multiple of 64 at or after k, whose first output
    /// sample is still 0 (the envelope starts from silence), so the first non-zero sample comes
    /// one frame later.
    @Test(.enabled(if: hasTimGM, "TimGM6mb.sf2 is not installed"), arguments: [0, 1, 63, 64, 100, 300, 511])
    func noteOnStartsWithinSixtyFourFrames(frame: Int) throws {
        var engine = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 48000)
        engine.send(.programChange(channel: 0, program: 80))  // square lead: starts loud at once
        let output = render(&engine, frameCount: 2048, blockSize: 512,
                            events: [(frame, .noteOn(channel: 0, key: 69, velocity: 127))])
        let onset = try #require(output.left.firstIndex { $0 != 0 })
        let blockStart = (frame + 63) / 64 * 64
        #expect(onset > frame)
        #expect(onset <= frame + 64)
        #expect(onset == blockStart + 1)
    }

    @Test func missingSoundFontThrows() {
        #expect(throws: FluidSynthError.self) {
            _ = try FluidSynthEngine(soundFontPath: "/nonexistent/none.sf2", sampleRate: 48000)
        }
        do {
            _ = try FluidSynthEngine(soundFontPath: "/nonexistent/none.sf2", sampleRate: 48000)
        } catch {
            #expect(error.description.hasPrefix("FluidSynth could not load SoundFont '/nonexistent/none.sf2'"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func corruptSoundFontThrows() throws {
        let path = "/tmp/attacca-fluid-test-\(getpid()).sf2"
        let file = try #require(fopen(path, "wb"))
        let junk = [UInt8]("RIFF\u{10}\0\0\0sfbkLIST this is not a SoundFont".utf8)
        fwrite(junk, 1, junk.count, file)
        fclose(file)
        defer { unlink(path) }
        #expect(throws: FluidSynthError.self) {
            _ = try FluidSynthEngine(soundFontPath: path, sampleRate: 48000)
        }
        do {
            _ = try FluidSynthEngine(soundFontPath: path, sampleRate: 48000)
        } catch {
            #expect(error == .soundFontLoadFailed(path: path, reason: "SoundFont file size mismatch"))
        }
    }

    @Test func absurdSampleRateThrows() {
        #expect(throws: FluidSynthError.self) {
            _ = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 1_000_000)
        }
        do {
            _ = try FluidSynthEngine(soundFontPath: timGM, sampleRate: 1_000_000)
        } catch {
            #expect(error.description.hasPrefix("FluidSynth rejected synth.sample-rate = 1000000 (FluidSynth accepts 8000..."))
        }
    }
}
