import AttaccaCore

/// Renders a MIDI file through any engine, the way `attacca render` does: `MidiFileSequencer`
/// in blocks of `blockSize` until the file ends, then `tail` seconds of release; or only its first
/// `excerpt` seconds when given.
enum WholeRender {
    static func render<E: SoundEngine & ~Copyable>(_ engine: inout E, midiFile: MidiFile, tail: Double = 1.0,
                                                   excerpt: Double? = nil, blockSize: Int = 512) -> [[Float]] {
        var sequencer = MidiFileSequencer(midiFile: midiFile, sampleRate: engine.sampleRate)
        var total = sequencer.endFrame + Int(tail * Double(engine.sampleRate))
        if let excerpt { total = min(total, Int(excerpt * Double(engine.sampleRate))) }
        var left = [Float](repeating: 0, count: total), right = left
        var start = 0
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                while start < total {
                    let count = min(blockSize, total - start)
                    if sequencer.isFinished {
                        engine.render(left: l.baseAddress! + start, right: r.baseAddress! + start, frameCount: count)
                    } else {
                        sequencer.render(&engine, left: l.baseAddress! + start, right: r.baseAddress! + start, frameCount: count)
                    }
                    start += count
                }
            }
        }
        return [left, right]
    }
}

/// A native synthesizer that plays every note (and polyphonic pressure) `semitones` away from what it
/// is sent: a deliberately wrong render for checking that the comparison metrics can fail.
struct TransposingSynthesizer: ~Copyable, SoundEngine {
    var synth: Synthesizer
    let semitones: Int
    var sampleRate: Int { synth.sampleRate }
    var activeVoiceCount: Int { synth.activeVoiceCount }

    mutating func send(_ message: MidiMessage) {
        var message = message
        switch message.kind {
        case .noteOn, .noteOff, .polyphonicPressure:
            message.data1 = UInt8(max(0, min(127, Int(message.data1) + semitones)))
        default: break
        }
        synth.send(message)
    }

    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        synth.render(left: left, right: right, frameCount: frameCount)
    }
}
