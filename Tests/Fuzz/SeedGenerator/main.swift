// Writes the fuzzers' starting corpora: small valid SoundFonts made with `SoundFontWriter` and
// MIDI files made with `MidiFileWriter` (besides Examples/*.mid, which Tests/Fuzz/run copies).
// Usage: fuzz-seeds <sf2 directory> <midi directory>. Built and run by Tests/Fuzz/run into the
// ignored build folder, so no binary seed is committed.
import AttaccaAssets
import AttaccaCore
#if canImport(Glibc)
import Glibc
#endif

func write(_ bytes: [UInt8], to path: String) {
    guard let file = fopen(path, "wb") else { fatalError("cannot create \(path)") }
    precondition(fwrite(bytes, 1, bytes.count, file) == bytes.count, "short write to \(path)")
    fclose(file)
}

func generators(_ values: [(GeneratorType, Int16)]) -> GeneratorSet {
    var set = GeneratorSet()
    for (type, value) in values { set[type] = value }
    return set
}

func range(_ low: Int, _ high: Int) -> Int16 { Int16(bitPattern: UInt16(high) << 8 | UInt16(low)) }

/// A SoundFont with `sampleCount` short samples, one instrument per sample plus a layered one,
/// and presets on banks 0 and 128: every hydra table has several records, and there are global
/// zones, modulators, key and velocity ranges, a ROM sample and INFO strings.
func soundFont(samples sampleCount: Int, pointsPerSample: Int, with24Bit: Bool, romSample: Bool, version: Int) -> SoundFont {
    var data = SampleDataBuilder()
    var samples: [SampleHeader] = []
    for index in 0..<sampleCount {
        let points = (0..<pointsPerSample).map { Int16(truncatingIfNeeded: ($0 * (index + 3) * 977) % 20000 - 10000) }
        let region = data.append(points)
        samples.append(SampleHeader(name: "Sample \(index)", start: region.lowerBound, end: region.upperBound,
                                    loopStart: region.lowerBound + 1, loopEnd: region.upperBound - 1,
                                    sampleRate: index % 2 == 0 ? 44100 : 22050, originalPitch: 60 + index,
                                    pitchCorrection: index - 2, sampleLink: 0, sampleType: 1))
    }
    if romSample {
        samples.append(SampleHeader(name: "ROM piano", start: 100, end: 5000, loopStart: 200, loopEnd: 4000,
                                    sampleRate: 32000, originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 0x8001))
    }
    let modulators = [
        Modulator(source: 0x0502, destination: 48, amount: 960, amountSource: 0, transform: 0),
        Modulator(source: 0x0081, destination: 17, amount: -500, amountSource: 0, transform: 2),
    ]
    var instruments: [Instrument] = []
    for index in 0..<sampleCount {
        let zone = Zone(generators: generators([(.keyRange, range(0, 127)), (.velRange, range(1, 127)),
                                                (.sampleModes, 1), (.pan, Int16(index * 100 - 200)),
                                                (.startAddrsOffset, 1), (.sampleID, Int16(index))]))
        let global = index == 0 ? Zone(generators: generators([(.attackVolEnv, -7972), (.releaseVolEnv, 1200)]),
                                       modulators: modulators) : nil
        instruments.append(Instrument(name: "Instrument \(index)", globalZone: global, zones: [zone]))
    }
    var layered: [Zone] = []
    for index in 0..<sampleCount {
        layered.append(Zone(generators: generators([(.keyRange, range(index * 30, index * 30 + 40)),
                                                    (.exclusiveClass, 1), (.overridingRootKey, 57),
                                                    (.sampleID, Int16(index))]),
                            modulators: index == 0 ? [modulators[1]] : []))
    }
    if romSample { layered.append(Zone(generators: generators([(.sampleID, Int16(sampleCount))]))) }
    instruments.append(Instrument(name: "Layered", zones: layered))

    var presets: [Preset] = []
    for index in 0..<instruments.count {
        presets.append(Preset(name: "Preset \(index)", bank: index == instruments.count - 1 ? 128 : 0, program: index,
                              globalZone: index == 0 ? Zone(generators: generators([(.coarseTune, -12)])) : nil,
                              zones: [Zone(generators: generators([(.velRange, range(20, 127)), (.instrument, Int16(index))]),
                                           modulators: index == 1 ? [modulators[0]] : [])]))
    }
    var info = SoundFontInfo()
    info.versionMinor = version
    info.name = "Fuzz seed"
    info.romName = romSample ? "1MGM" : nil
    info.romVersionMajor = romSample ? 1 : nil
    info.romVersionMinor = romSample ? 0 : nil
    info.creationDate = "2026"
    info.engineers = "Attacca"
    info.product = "fuzz"
    info.copyright = "none"
    info.comment = "seed"
    info.software = "Attacca"
    let low = with24Bit ? data.data.indices.map { UInt8(truncatingIfNeeded: $0 &* 7) } : nil
    return SoundFont(info: info, presets: presets, instruments: instruments, samples: samples,
                     sampleData: data.data, sampleData24: low)
}

func midiSeeds() -> [(String, [UInt8])] {
    var seeds: [(String, [UInt8])] = []
    var melody = MidiFileWriter.Track(name: "melody")
    melody.addTempo(beatsPerMinute: 100, at: 0)
    melody.addTempo(beatsPerMinute: 140, at: 960)
    melody.add(.systemReset, at: 0)
    melody.add(.programChange(channel: 0, program: 5), at: 0)
    melody.add(.controlChange(channel: 0, controller: 64, value: 127), at: 0)
    for step in 0..<8 {
        melody.addNote(channel: step % 3, key: 60 + step, velocity: 40 + step * 10, at: step * 240, length: 200)
    }
    melody.add(.pitchBend(channel: 0, value: 12000), at: 500)
    melody.add(.channelPressure(channel: 1, value: 60), at: 600)
    melody.add(.polyphonicPressure(channel: 2, key: 64, value: 30), at: 700)
    melody.add(.noteOn(channel: 9, key: 36, velocity: 0), at: 800)
    var bass = MidiFileWriter.Track(name: "bass", endTick: 4000)
    bass.addNote(channel: 2, key: 36, velocity: 90, at: 0, length: 1900)
    seeds.append(("format1-running.mid", MidiFileWriter(format: 1, resolution: 96, usesRunningStatus: true).bytes(tracks: [melody, bass])))
    seeds.append(("format0-no-running.mid", MidiFileWriter(format: 0, resolution: 480, usesRunningStatus: false).bytes(tracks: [melody, bass])))
    // The same file timed in SMPTE (25 frames per second, 40 ticks per frame): the division
    // field is bytes 12 and 13.
    var smpte = MidiFileWriter(format: 1, resolution: 96).bytes(tracks: [melody, bass])
    smpte[12] = 0xE7
    smpte[13] = 40
    seeds.append(("smpte.mid", smpte))
    // Hand-made: a GS reset (F0 escape) and an XG reset (F7 escape), a non-MTrk chunk, a text
    // meta event, data after End of Track.
    var track: [UInt8] = [
        0x00, 0xF0, 0x0A, 0x41, 0x10, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41, 0xF7,
        0x00, 0xF7, 0x09, 0xF0, 0x43, 0x10, 0x4C, 0x00, 0x00, 0x7E, 0x00, 0xF7,
        0x00, 0xFF, 0x01, 0x03, 0x61, 0x62, 0x63,
        0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,
        0x00, 0x90, 0x3C, 0x64, 0x81, 0x40, 0x3C, 0x00,
        0x83, 0x60, 0xFF, 0x2F, 0x00, 0x00, 0x90,
    ]
    var file: [UInt8] = Array("MThd".utf8) + [0, 0, 0, 6, 0, 1, 0, 2, 0x01, 0xE0]
    file += Array("XFIH".utf8) + [0, 0, 0, 2, 0xAB, 0xCD]
    file += Array("MTrk".utf8) + [0, 0, 0, UInt8(track.count)] + track
    track = [0x00, 0xC0, 0x05, 0x00, 0xB0, 0x07, 0x64, 0x00, 0xFF, 0x2F, 0x00]
    file += Array("MTrk".utf8) + [0, 0, 0, UInt8(track.count)] + track
    seeds.append(("sysex-meta.mid", file))
    return seeds
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fatalError("usage: fuzz-seeds <sf2 directory> <midi directory>") }
let fonts = [
    ("two-samples.sf2", soundFont(samples: 2, pointsPerSample: 8, with24Bit: false, romSample: false, version: 1)),
    ("sm24-rom.sf2", soundFont(samples: 3, pointsPerSample: 5, with24Bit: true, romSample: true, version: 4)),
    ("one-sample.sf2", soundFont(samples: 1, pointsPerSample: 3, with24Bit: false, romSample: false, version: 4)),
]
for (name, font) in fonts {
    let bytes = SoundFontWriter.bytes(for: font)
    // The seed must be one the reader accepts, or the fuzzer starts from an error path.
    do { _ = try SoundFont(bytes: bytes) } catch { fatalError("seed \(name) does not load: \(error)") }
    write(bytes, to: arguments[1] + "/" + name)
}
for (name, bytes) in midiSeeds() {
    do { _ = try MidiFile(bytes: bytes) } catch { fatalError("seed \(name) does not load: \(error)") }
    write(bytes, to: arguments[2] + "/" + name)
}
