// attacca-bench: small measurements that are reports, not tests.
//
//   attacca-bench load [path.sf2] [repetitions]   time to load a SoundFont with SoundFont(path:),
//                                                  and then to make its sample data resident; an SF3's
//                                                  decoding: length pass, one thread, all cores, and
//                                                  the CPU time of the busiest decoding thread
//   attacca-bench render SF2 MIDI [repetitions]    whole-file render speed (times real time) of the
//                                                  native and FluidSynth engines, in process
//   attacca-bench voices SF2 [notes] [seconds]     sustained looped notes (organ, program 19) on one core:
//                                                  voices × times real time
//   attacca-bench allocations SF2 MIDI             malloc calls during the render calls of a whole file
//   attacca-bench compare SF2 MIDI...              envelope correlation and log-spectral distance of
//                                                  whole-file renders (50 Hz-16 kHz, and the full band to
//                                                  Nyquist with each band's level difference), native against FluidSynth: as the
//                                                  native engine plays, and like for like (FluidSynth's
//                                                  event timing and pitch arithmetic)
//   attacca-bench once native|fluidsynth SF2 MIDI  one render, nothing else (for callgrind)
//   attacca-bench write-default-font PATH          writes DefaultSoundFont.make() as an SF2 file
//
// ATTACCA_BENCH_EFFECTS=on turns reverb and chorus on in both engines (the defaults of
// SynthesizerSettings, the same values given to FluidSynth) for render, allocations, compare and
// once; otherwise both run with effects off.
//
// For finding where the engines differ: ATTACCA_BENCH_DROP=bend,pressure,cc1,... leaves those
// messages out of both engines' input, ATTACCA_BENCH_POLYPHONY=N sets both engines' voices,
// ATTACCA_BENCH_LIKE=timing or =pitch makes "like for like" only that half of it.
// ATTACCA_BENCH_SECONDS=N renders only each file's first N seconds.
//
// Build in release: swift build -c release --product attacca-bench. All renders: 48 kHz, gain 0.5,
// blocks of 512 frames through MidiFileSequencer, effects off unless ATTACCA_BENCH_EFFECTS=on.
import AttaccaAnalysis
import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import AttaccaVorbis
import CAllocationCounter
#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in seconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU time of the calling thread in seconds (less disturbed than wall time on a shared machine).
func threadCPU() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU seconds of the last `renderFile` call.
var lastRenderCPU = 0.0

func load(_ arguments: ArraySlice<String>) -> Int32 {
    let path = arguments.first ?? "/usr/share/sounds/sf2/FluidR3_GM.sf2"
    let repetitions = arguments.dropFirst().first.flatMap { Int($0) } ?? 20
    var times: [Double] = []
    var residentTimes: [Double] = []
    var decodeTimes: [Double] = []
    var sequentialTimes: [Double] = []
    var lengthTimes: [Double] = []
    var busiestThreadCPU: [Double] = []
    var totalCPU: [Double] = []
    var locked = false
    var summary = ""
    for _ in 0..<repetitions {
        let start = now()
        do {
            var font = try SoundFont(path: path)
            times.append(now() - start)
            if font.hasCompressedSamples {  // SF3: the Ogg Vorbis decoding the CLI does at load
                let compressed = font
                let lengthStart = now()
                for sample in compressed.samples where sample.sampleType & SoundFont.compressedSampleType != 0 && sample.sampleType & 0x8000 == 0 {
                    let bytes = UnsafeRawBufferPointer(compressed.sampleData)
                    _ = try VorbisDecoder().decodedLength(of: UnsafeRawBufferPointer(rebasing: bytes[sample.start..<min(sample.end + 1, bytes.count)]))
                }
                lengthTimes.append(now() - lengthStart)
                let sequentialStart = now()
                _ = try compressed.decompressed(with: VorbisDecoder())
                sequentialTimes.append(now() - sequentialStart)
                let decodeStart = now()
                font = try compressed.decompressed(with: VorbisDecoder(), concurrently: .allCores)
                decodeTimes.append(now() - decodeStart)
                // The same on all cores, each sample's CPU time charged to its thread: the busiest
                // thread's total is what the decode would take with a free core per thread.
                var threadIDs = [pthread_t](repeating: 0, count: compressed.samples.count * 2 + 2)
                var cpu = [Double](repeating: 0, count: threadIDs.count)
                var calls = 0
                threadIDs.withUnsafeMutableBufferPointer { idBuffer in
                    cpu.withUnsafeMutableBufferPointer { cpuBuffer in
                        let ids = idBuffer, cpu = cpuBuffer
                        let charged = ConcurrentLoop { iterations, body in
                            let slot = calls
                            calls += iterations
                            ConcurrentLoop.allCores.run(iterations) { index in
                                let start = threadCPU()
                                body(index)
                                cpu[slot + index] = threadCPU() - start
                                ids[slot + index] = pthread_self()
                            }
                        }
                        _ = try? compressed.decompressed(with: VorbisDecoder(), concurrently: charged)
                    }
                }
                var perThread: [pthread_t: Double] = [:]
                for index in 0..<calls { perThread[threadIDs[index], default: 0] += cpu[index] }
                busiestThreadCPU.append(perThread.values.max() ?? 0)
                totalCPU.append(perThread.values.reduce(0, +))
            }
            let residentStart = now()
            locked = font.makeSampleDataResident()
            residentTimes.append(now() - residentStart)
            summary = "\(font.presets.count) presets, \(font.instruments.count) instruments, \(font.samples.count) samples, "
                + "\(font.sampleData.count) sample points"
        } catch {
            print("attacca-bench: \(error)")
            return 1
        }
    }
    let milliseconds = { (t: Double) in (t * 1e5).rounded() / 100 }
    func statistics(_ values: [Double]) -> String {
        let sorted = values.sorted()
        return "min \(milliseconds(sorted[0])) ms, median \(milliseconds(sorted[sorted.count / 2])) ms, "
            + "max \(milliseconds(sorted[sorted.count - 1])) ms"
    }
    print("load \(path): \(summary)")
    print("  SoundFont(path:), \(repetitions) loads: \(statistics(times))")
    if !decodeTimes.isEmpty {
        print("  SF3 decodedLength(of:) of every stream, one thread: \(statistics(lengthTimes))")
        print("  SF3 decompressed(with: VorbisDecoder()), one thread: \(statistics(sequentialTimes))")
        print("  SF3 decompressed(with: VorbisDecoder(), concurrently: .allCores): \(statistics(decodeTimes))")
        print("  the same, CPU time of all threads: \(statistics(totalCPU)); of the busiest thread (the wall time with a free core each): \(statistics(busiestThreadCPU))")
    }
    print("  makeSampleDataResident() (\(locked ? "mlock" : "faulted in, not locked")): \(statistics(residentTimes))")
    return 0
}

let sampleRate = 48000
let benchGain: Float = 0.5
let blockSize = 512
/// Voices per engine (both engines alike); ATTACCA_BENCH_POLYPHONY overrides the default 256.
let benchPolyphony = getenv("ATTACCA_BENCH_POLYPHONY").flatMap { Int(String(cString: $0)) } ?? 256

/// Renders `frames` frames of `midi` (past its end: release tail, no events) into `left`/`right`; returns wall seconds.
/// With `countAllocations`, malloc calls inside the engine/sequencer render calls are added to `allocations`.
func renderFile<E: SoundEngine & ~Copyable>(_ engine: inout E, _ midi: MidiFile, frames: Int,
                                            left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>,
                                            countAllocations: Bool = false, allocations: inout Int64) -> Double {
    var sequencer = MidiFileSequencer(midiFile: midi, sampleRate: sampleRate)
    let start = now(), startCPU = threadCPU()
    var done = 0
    while done < frames {
        let count = min(blockSize, frames - done)
        if countAllocations { attacca_allocation_counter_start() }
        if sequencer.isFinished {
            engine.render(left: left + done, right: right + done, frameCount: count)
        } else {
            sequencer.render(&engine, left: left + done, right: right + done, frameCount: count)
        }
        if countAllocations { allocations += attacca_allocation_counter_stop() }
        done += count
    }
    lastRenderCPU = threadCPU() - startCPU
    return now() - start
}

enum EngineKind: String, CaseIterable { case native, fluidsynth }

/// Messages left out of both engines' input by ATTACCA_BENCH_DROP (comma-separated: bend,
/// pressure, ccN), to find which controllers a difference between the engines comes from.
/// Parsed into flags up front, so that deciding allocates nothing while allocations are counted.
let droppedKinds: (bend: Bool, pressure: Bool, controllers: [Bool]) = {
    let names = getenv("ATTACCA_BENCH_DROP").map { String(cString: $0).split(separator: ",").map(String.init) } ?? []
    return (names.contains("bend"), names.contains("pressure"), (0..<128).map { names.contains("cc\($0)") })
}()

func droppedMessages(_ message: MidiMessage) -> Bool {
    switch message.kind {
    case .pitchBend: return droppedKinds.bend
    case .channelPressure: return droppedKinds.pressure
    case .controlChange: return droppedKinds.controllers[Int(message.data1 & 127)]
    default: return false
    }
}

/// An engine that ignores the messages `droppedMessages` picks.
struct DroppingEngine<Inner: SoundEngine & ~Copyable>: SoundEngine, ~Copyable {
    var inner: Inner
    var sampleRate: Int { inner.sampleRate }
    var activeVoiceCount: Int { inner.activeVoiceCount }
    mutating func send(_ message: MidiMessage) { if !droppedMessages(message) { inner.send(message) } }
    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        inner.render(left: left, right: right, frameCount: frameCount)
    }
}

/// Reverb and chorus on in both engines (ATTACCA_BENCH_EFFECTS=on).
/// ATTACCA_BENCH_SECONDS=N: render only the first N seconds of each file (long game music loops).
let benchSeconds = getenv("ATTACCA_BENCH_SECONDS").flatMap { Double(String(cString: $0)) }.flatMap { $0 > 0 ? $0 : nil }
let benchEffects = getenv("ATTACCA_BENCH_EFFECTS").map { String(cString: $0) == "on" } ?? false
let benchReverb = ReverbSettings(isEnabled: benchEffects)
let benchChorus = ChorusSettings(isEnabled: benchEffects)

/// Creates the engine (not timed) and renders `frames` of `midi` into the buffers; wall seconds of the render.
/// What "like for like" gives the native engine of FluidSynth's: its event timing, its pitch
/// arithmetic, or both (the default; ATTACCA_BENCH_LIKE=timing or =pitch for one).
let likeForLikeParts = getenv("ATTACCA_BENCH_LIKE").map { String(cString: $0) } ?? "timing,pitch"

/// `likeForLike` gives the native engine FluidSynth's event timing (`BlockQuantizedEngine`) and pitch
/// arithmetic (`SynthesizerSettings.PitchArithmetic.fluidSynth`), as `likeForLikeParts` says.
func timedRender(_ kind: EngineKind, font: SoundFont, fontPath: String, midi: MidiFile, frames: Int,
                 left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, likeForLike: Bool = false,
                 countAllocations: Bool = false, allocations: inout Int64) throws -> Double {
    _ = droppedKinds  // initialised here, not inside the first counted render call
    switch kind {
    case .native:
        let engine = try Synthesizer(soundFont: font, settings: SynthesizerSettings(
            sampleRate: sampleRate, polyphony: benchPolyphony, gain: benchGain, velocityToFilterModulator: false,
            pitchArithmetic: likeForLike && likeForLikeParts.contains("pitch") ? .fluidSynth : .exact,
            reverb: benchReverb, chorus: benchChorus))
        if likeForLike && likeForLikeParts.contains("timing") {
            var quantized = DroppingEngine(inner: BlockQuantizedEngine(engine))
            return renderFile(&quantized, midi, frames: frames, left: left, right: right,
                              countAllocations: countAllocations, allocations: &allocations)
        }
        var dropping = DroppingEngine(inner: engine)
        return renderFile(&dropping, midi, frames: frames, left: left, right: right,
                          countAllocations: countAllocations, allocations: &allocations)
    case .fluidsynth:
        let engine = try FluidSynthEngine(soundFontPath: fontPath, sampleRate: sampleRate, polyphony: benchPolyphony, gain: benchGain,
                                          reverb: benchReverb, chorus: benchChorus)
        var dropping = DroppingEngine(inner: engine)
        return renderFile(&dropping, midi, frames: frames, left: left, right: right,
                          countAllocations: countAllocations, allocations: &allocations)
    }
}

struct Inputs {
    let font: SoundFont
    let fontPath: String
    let midi: MidiFile
    let midiPath: String
    let frames: Int
    let left: UnsafeMutablePointer<Float>
    let right: UnsafeMutablePointer<Float>

    init(_ fontPath: String, _ midiPath: String, tail: Double = 0) throws {
        self.fontPath = fontPath
        self.midiPath = midiPath
        font = try SoundFont(path: fontPath)
        _ = font.makeSampleDataResident()
        midi = try MidiFile(path: midiPath)
        let whole = MidiFileSequencer(midiFile: midi, sampleRate: sampleRate).endFrame + Int(tail * Double(sampleRate))
        frames = benchSeconds.map { min(whole, Int($0 * Double(sampleRate))) } ?? whole
        left = .allocate(capacity: max(frames, 1))
        right = .allocate(capacity: max(frames, 1))
    }

    var seconds: Double { Double(frames) / Double(sampleRate) }
    var channels: [[Float]] { [Array(UnsafeBufferPointer(start: left, count: frames)), Array(UnsafeBufferPointer(start: right, count: frames))] }
}

func renderSpeed(_ arguments: ArraySlice<String>) throws -> Int32 {
    guard arguments.count >= 2 else { return usage() }
    let inputs = try Inputs(arguments[arguments.startIndex], arguments[arguments.startIndex + 1])
    let repetitions = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 5
    print("render \(inputs.midiPath) (\((inputs.seconds * 100).rounded() / 100) s) with \(inputs.fontPath), \(repetitions) repetitions, "
          + "effects \(benchEffects ? "on" : "off"):")
    for kind in EngineKind.allCases {
        var factors: [Double] = [], cpuFactors: [Double] = [], unused: Int64 = 0
        for _ in 0..<repetitions {
            let seconds = try timedRender(kind, font: inputs.font, fontPath: inputs.fontPath, midi: inputs.midi, frames: inputs.frames,
                                          left: inputs.left, right: inputs.right, allocations: &unused)
            factors.append(inputs.seconds / seconds)
            cpuFactors.append(inputs.seconds / lastRenderCPU)
        }
        let sorted = factors.sorted(), cpuSorted = cpuFactors.sorted()
        // Report max factor as "best" (= min time) and median; also per second of thread CPU time.
        func rounded(_ x: Double) -> Double { (x * 10).rounded() / 10 }
        print("  \(kind.rawValue): times real time best \(rounded(sorted[sorted.count - 1])), median \(rounded(sorted[sorted.count / 2]))"
              + "; per CPU second best \(rounded(cpuSorted[cpuSorted.count - 1])), median \(rounded(cpuSorted[cpuSorted.count / 2]))")
    }
    return 0
}

func voices(_ arguments: ArraySlice<String>) throws -> Int32 {
    guard let fontPath = arguments.first else { return usage() }
    let notes = arguments.dropFirst().first.flatMap { Int($0) } ?? 128
    let seconds = arguments.dropFirst(2).first.flatMap { Double($0) } ?? 10
    let font = try SoundFont(path: fontPath)
    _ = font.makeSampleDataResident()
    let frames = Int(seconds * Double(sampleRate))
    let left = UnsafeMutablePointer<Float>.allocate(capacity: blockSize), right = UnsafeMutablePointer<Float>.allocate(capacity: blockSize)
    func run<E: SoundEngine & ~Copyable>(_ engine: inout E, _ name: String) {
        // Channels 0-15 except drums, organ (looped, sustained), keys 36... spread over channels.
        var sent = 0
        var channel = 0
        while sent < notes {
            if channel == 9 { channel += 1; continue }
            engine.send(.programChange(channel: channel, program: 19))
            for key in stride(from: 36 + channel % 3, to: 96, by: 3) where sent < notes {
                engine.send(.noteOn(channel: channel, key: key, velocity: 100))
                sent += 1
                if sent % 16 == 0 { break }
            }
            channel = (channel + 1) % 16
        }
        engine.render(left: left, right: right, frameCount: blockSize)
        let active = engine.activeVoiceCount
        let start = now()
        var done = 0
        while done < frames {
            engine.render(left: left, right: right, frameCount: blockSize)
            done += blockSize
        }
        let factor = seconds / (now() - start)
        print("  \(name): \(active) voices (\(notes) notes) at \((factor * 100).rounded() / 100)× real time "
              + "→ \(Int((Double(active) * factor).rounded())) voices per second of audio per core")
    }
    print("voices \(fontPath), \(seconds) s at \(sampleRate) Hz:")
    var native = try Synthesizer(soundFont: font, settings: SynthesizerSettings(sampleRate: sampleRate, polyphony: 1024, gain: benchGain, velocityToFilterModulator: false).withoutEffects)
    run(&native, "native")
    var fluid = try FluidSynthEngine(soundFontPath: fontPath, sampleRate: sampleRate, polyphony: 1024, gain: benchGain)
    run(&fluid, "fluidsynth")
    return 0
}

func allocations(_ arguments: ArraySlice<String>) throws -> Int32 {
    guard arguments.count >= 2 else { return usage() }
    let inputs = try Inputs(arguments[arguments.startIndex], arguments[arguments.startIndex + 1], tail: 1)
    print("allocations rendering \(inputs.midiPath) with \(inputs.fontPath), effects \(benchEffects ? "on" : "off") (malloc calls inside render calls, engine created beforehand; "
          + "first render / second render with a new engine):")
    for kind in EngineKind.allCases {
        // The first render of a kind in the process makes a few mallocs of one-time set-up (since
        // the harness wraps each engine in a generic DroppingEngine: the runtime's first use of
        // that type, most likely); the second, with a new engine, counts what rendering does.
        var counts: [Int64] = []
        for _ in 0..<2 {
            var count: Int64 = 0
            _ = try timedRender(kind, font: inputs.font, fontPath: inputs.fontPath, midi: inputs.midi, frames: inputs.frames,
                                left: inputs.left, right: inputs.right, countAllocations: true, allocations: &count)
            counts.append(count)
        }
        print("  \(kind.rawValue): \(counts[0]) / \(counts[1])")
    }
    return 0
}

func compare(_ arguments: ArraySlice<String>) throws -> Int32 {
    guard arguments.count >= 2, let fontPath = arguments.first else { return usage() }
    let comparison = AudioComparison(sampleRate: sampleRate)
    var fullBandSettings = AudioComparisonSettings()
    fullBandSettings.highestFrequency = Double(sampleRate) / 2
    let fullBand = AudioComparison(sampleRate: sampleRate, settings: fullBandSettings)
    print("compare native against fluidsynth with \(fontPath) (\(benchSeconds.map { "first \($0) s of each file" } ?? "whole files + 1 s tail")), effects \(benchEffects ? "on" : "off"):")
    for midiPath in arguments.dropFirst() {
        let inputs = try Inputs(fontPath, midiPath, tail: 1)
        var unused: Int64 = 0
        _ = try timedRender(.fluidsynth, font: inputs.font, fontPath: fontPath, midi: inputs.midi, frames: inputs.frames,
                            left: inputs.left, right: inputs.right, allocations: &unused)
        let fluid = inputs.channels
        for likeForLike in [false, true] {
            _ = try timedRender(.native, font: inputs.font, fontPath: fontPath, midi: inputs.midi, frames: inputs.frames,
                                left: inputs.left, right: inputs.right, likeForLike: likeForLike, allocations: &unused)
            let native = inputs.channels
            let parts = likeForLikeParts == "timing" ? "event timing" : likeForLikeParts == "pitch" ? "pitch arithmetic"
                : "event timing and pitch arithmetic"
            let how = likeForLike ? "like for like (FluidSynth's \(parts))" : "as it plays"
            print("  \(midiPath), native \(how): \(comparison.compare(native, fluid))")
            let full = fullBand.compare(native, fluid)
            let levels = zip(AudioComparison.levelBands, comparison.bandLevels(native, fluid)).map { band, level in
                "\(Int(band.low))-\(Int(band.high)) Hz \(level >= 0 ? "+" : "")\((level * 100).rounded() / 100)"
            }
            print("    full band 50 Hz-\(sampleRate / 2000) kHz: log-spectral distance \((full.logSpectralDistance * 100).rounded() / 100) dB; "
                  + "level native - fluidsynth: \(levels.joined(separator: ", ")) dB")
            // Where they differ: the same metrics over 2-second segments.
            let segment = 2 * sampleRate
            for start in stride(from: 0, to: inputs.frames, by: segment) {
                let end = min(start + segment, inputs.frames)
                let slice = { (signal: [[Float]]) in signal.map { Array($0[start..<end]) } }
                print("    \(start / sampleRate)-\(end / sampleRate) s: \(comparison.compare(slice(native), slice(fluid)))")
            }
        }
    }
    return 0
}

func once(_ arguments: ArraySlice<String>) throws -> Int32 {
    guard arguments.count >= 3, let kind = EngineKind(rawValue: arguments[arguments.startIndex]) else { return usage() }
    let inputs = try Inputs(arguments[arguments.startIndex + 1], arguments[arguments.startIndex + 2])
    var unused: Int64 = 0
    let seconds = try timedRender(kind, font: inputs.font, fontPath: inputs.fontPath, midi: inputs.midi, frames: inputs.frames,
                                  left: inputs.left, right: inputs.right, allocations: &unused)
    print("\(kind.rawValue): \(inputs.seconds) s of audio in \(seconds) s")
    return 0
}

func writeDefaultFont(_ arguments: ArraySlice<String>) -> Int32 {
    guard let path = arguments.first else { return usage() }
    let bytes = SoundFontWriter.bytes(for: DefaultSoundFont.make())
    guard let file = fopen(path, "wb") else { print("attacca-bench: cannot write \(path)"); return 1 }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    return written == bytes.count ? 0 : 1
}

func usage() -> Int32 {
    print("""
    usage: attacca-bench load [path.sf2] [repetitions]
           attacca-bench render SF2 MIDI [repetitions]
           attacca-bench voices SF2 [notes] [seconds]
           attacca-bench allocations SF2 MIDI
           attacca-bench compare SF2 MIDI...
           attacca-bench once native|fluidsynth SF2 MIDI
           attacca-bench write-default-font PATH
    """)
    return 2
}

let arguments = CommandLine.arguments.dropFirst()
do {
    switch arguments.first {
    case "load": exit(load(arguments.dropFirst()))
    case "render": exit(try renderSpeed(arguments.dropFirst()))
    case "voices": exit(try voices(arguments.dropFirst()))
    case "allocations": exit(try allocations(arguments.dropFirst()))
    case "compare": exit(try compare(arguments.dropFirst()))
    case "once": exit(try once(arguments.dropFirst()))
    case "write-default-font": exit(writeDefaultFont(arguments.dropFirst()))
    default: exit(usage())
    }
} catch {
    print("attacca-bench: \(error)")
    exit(1)
}
