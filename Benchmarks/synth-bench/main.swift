// synth-bench: CPU per voice of the native Synthesizer against FluidSynth on one MIDI file.
// A report tool, not a test. It needs SoundFont(path:) (branch sf2), MidiFile/MidiFileSequencer
// (main) and FluidSynthEngine with gain (cli), so it is not yet a target: once those are merged,
// add to Package.swift
//   .executableTarget(name: "synth-bench", dependencies: ["AttaccaCore", "AttaccaFluid"], path: "Benchmarks/synth-bench"),
// then: swift build -c release --product synth-bench
//       .build/release/synth-bench /usr/share/sounds/sf2/FluidR3_GM.sf2 Examples/dense.mid native|linear|fluid
// It prints user CPU spent in render calls, mean/max active voices and ns per voice-frame, and
// writes the rendered audio as raw interleaved float32 to /tmp/bench/<engine>.raw.
import AttaccaCore
import AttaccaFluid
import Glibc

func cpuNow() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
}

let args = CommandLine.arguments
let fontPath = args.count > 1 ? args[1] : "/usr/share/sounds/sf2/FluidR3_GM.sf2"
let midiPath = args.count > 2 ? args[2] : "Examples/dense.mid"
let which = args.count > 3 ? args[3] : "native"
let outPath = "/tmp/bench/\(which).raw"  // directory must exist
let midi = try MidiFile(path: midiPath)
let block = 512

func run<E: SoundEngine & ~Copyable>(_ engine: inout E) {
    var sequencer = MidiFileSequencer(midiFile: midi, sampleRate: 48000)
    var left = [Float](repeating: 0, count: block), right = left
    var out: [Float] = []
    out.reserveCapacity(Int(midi.duration + 5) * 48000 * 2)
    var voiceFrames = 0.0, maxVoices = 0, frames = 0
    var renderTime = 0.0
    while true {
        let t0 = cpuNow()
        let more = left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                sequencer.render(&engine, left: l.baseAddress!, right: r.baseAddress!, frameCount: block)
            }
        }
        renderTime += cpuNow() - t0
        voiceFrames += Double(engine.activeVoiceCount * block)
        maxVoices = max(maxVoices, engine.activeVoiceCount)
        frames += block
        for i in 0..<block { out.append(left[i]); out.append(right[i]) }
        if !more && engine.activeVoiceCount == 0 { break }
        if frames > 48000 * 600 { break }
    }
    let seconds = Double(frames) / 48000
    print("\(which): \(seconds) s of audio, \(renderTime) s user CPU rendering, \(seconds / renderTime)x real time")
    print("  mean voices \(voiceFrames / Double(frames)), max \(maxVoices); ns per voice-frame \(renderTime / voiceFrames * 1e9)")
    let f = fopen(outPath, "wb")
    out.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 4, $0.count, f) }
    fclose(f)
}

if which == "fluid" {
    var engine = try FluidSynthEngine(soundFontPath: fontPath, sampleRate: 48000, polyphony: 256, gain: 1.0)
    run(&engine)
} else {
    let font = try SoundFont(path: fontPath)
    _ = font.makeSampleDataResident()
    var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(
        sampleRate: 48000, polyphony: 256, interpolation: which == "linear" ? .linear : .cubic).withoutEffects)
    run(&synth)
}
