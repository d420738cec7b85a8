import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import Testing

/// The native engine with FluidSynth's event timing, for comparisons.
@Suite struct BlockQuantizedEngineTests {
    /// A note-on at frame k through the wrapper renders exactly what the plain engine renders with
    /// the note-on at ⌈k/64⌉·64, the frame FluidSynth starts it at (FluidSynthEngineTests), in
    /// blocks of any multiple of 64 (the native engine updates its voices at the end of each render
    /// call's sub-blocks, so other block sizes render slightly differently, with or without it).
    @Test(arguments: [0, 1, 63, 64, 100, 300, 511])
    func aNoteOnWaitsForTheNextBlockStart(frame: Int) throws {
        let font = DefaultSoundFont.make()
        let blockStart = (frame + 63) / 64 * 64
        let note = MidiMessage.noteOn(channel: 0, key: 69, velocity: 127)
        var plain = try Synthesizer(soundFont: font)
        let expected = render(&plain, frameCount: 2048, blockSize: 512, events: [(blockStart, note)])
        for blockSize in [512, 192, 64] {
            var quantized = BlockQuantizedEngine(try Synthesizer(soundFont: font))
            let actual = render(&quantized, frameCount: 2048, blockSize: blockSize, events: [(frame, note)])
            let same = actual.left == expected.left && actual.right == expected.right
            #expect(same, "note-on at \(frame), blocks of \(blockSize)")
            // Like FluidSynth's, the first sample of the voice is still silent.
            #expect(actual.left.firstIndex { $0 != 0 } == blockStart + 1)
        }
    }

    /// Messages held for the next block keep their order: a note-off after its note-on in the same
    /// block releases it (once it has sounded the minimum note length, 10 ms: by frame 1024).
    @Test func heldMessagesKeepTheirOrder() throws {
        var quantized = BlockQuantizedEngine(try Synthesizer(soundFont: DefaultSoundFont.make()))
        let output = render(&quantized, frameCount: 1024, blockSize: 256, events: [
            (10, .noteOn(channel: 0, key: 60, velocity: 100)), (20, .noteOff(channel: 0, key: 60)),
            (30, .noteOn(channel: 0, key: 64, velocity: 100)),
        ])
        #expect(output.left[0..<64].allSatisfy { $0 == 0 })
        let voices = quantized.inner.voiceSnapshots
        #expect(voices.contains { $0.key == 64 && !$0.isReleased })
        #expect(voices.filter { $0.key == 60 }.allSatisfy { $0.isReleased })
    }
}
