import AttaccaAudioFile
import AttaccaCore

/// The render loop, run with whichever engine `EngineOptions` builds: sequences the MIDI file
/// into the engine block by block, then the release tail, and writes every block to the file.
struct RenderJob: EngineVisitor {
    let midiFile: MidiFile
    let output: AudioFileOutput
    let tailSeconds: Double
    let showsProgress: Bool
    /// `--limiter on`: each block goes through an `OutputLimiter` before it is measured and written.
    var limits = true
    /// `--dither on` with 16-bit output: TPDF dither is added just before the writer rounds.
    var dithers = false

    static let blockSize = 512
    /// -90 dBFS: where the reverb's tail counts as died away.
    static let silence: Float = 3.1622776e-5

    func visit<E: SoundEngine & ~Copyable>(_ engine: inout E) throws -> RenderResult {
        let sampleRate = engine.sampleRate
        precondition(sampleRate == output.writer.sampleRate, "engine and file sample rates differ")
        var sequencer = MidiFileSequencer(midiFile: midiFile, sampleRate: sampleRate)
        let bodyFrames = sequencer.endFrame
        let totalFrames = bodyFrames + Int((tailSeconds * Double(sampleRate)).rounded())
        var progress = showsProgress ? RenderProgressBar(totalSeconds: Double(totalFrames) / Double(sampleRate)) : nil
        defer { progress?.clear() }

        let left = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockSize)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockSize)
        defer {
            left.deallocate()
            right.deallocate()
        }
        var rendered = 0
        var peak: Float = 0
        var mostVoices = 0
        var limiter = OutputLimiter(sampleRate: sampleRate)
        var dither = TPDFDither()
        let clock = ContinuousClock()
        let start = clock.now
        // Frames in a row whose output stayed below `silence` (-90 dBFS).
        var quietFrames = 0
        let hasEffects = engine.hasEffects
        // 50 ms below `silence` ends the tail (a single block could fall between two echoes).
        let quietSpan = sampleRate / 20
        while rendered < totalFrames {
            // In the tail: stop as soon as nothing sounds, and with effects, once the output
            // (the reverb's tail) has stayed below -90 dBFS for 50 ms.
            if rendered >= bodyFrames && sequencer.isFinished && engine.activeVoiceCount == 0
                && (!hasEffects || quietFrames >= quietSpan) { break }
            if InterruptFlag.isRaised { throw RenderInterrupted() }
            let count = min(Self.blockSize, totalFrames - rendered)
            sequencer.render(&engine, left: left, right: right, frameCount: count)
            mostVoices = max(mostVoices, engine.activeVoiceCount)
            if limits { limiter.process(left: left, right: right, frameCount: count) }
            let blockPeak = max(FastMath.peak(left, count), FastMath.peak(right, count))
            peak = max(peak, blockPeak)
            quietFrames = blockPeak < Self.silence ? quietFrames + count : 0
            if dithers { dither.apply(left: left, right: right, frameCount: count) }
            try output.writer.write(left: left, right: right, frameCount: count)
            rendered += count
            progress?.update(seconds: Double(rendered) / Double(sampleRate))
        }
        try output.writer.finish()
        let elapsed = start.duration(to: clock.now)
        return RenderResult(outputPath: output.writer.path, frameCount: rendered, sampleRate: sampleRate, peak: peak,
                            mostVoices: mostVoices,
                            elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
