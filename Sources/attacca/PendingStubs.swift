// TEMPORARY stand-in for the `synth` branch's Synthesizer until it is merged; removed then.
import AttaccaCore
struct SynthesizerSettings { var sampleRate = 48000; var polyphony = 256; var gain: Float = 1 }
struct Synthesizer: ~Copyable, SoundEngine {
    init(soundFont: SoundFont, settings: SynthesizerSettings = .init()) throws {
        throw CommandFailure("the native engine is not in this build yet: use --engine fluidsynth")
    }
    var sampleRate: Int { 0 }
    var activeVoiceCount: Int { 0 }
    mutating func send(_ message: MidiMessage) {}
    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {}
}
