import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import Glibc
import Testing

/// The controllers and sysex of issue 16 against FluidSynth itself: the same messages to both
/// engines, a pure 440 Hz font, the output pitch compared over time (portamento, mono legato,
/// MIDI Tuning Standard) in cents.
@Suite struct ControllerParityTests {
    static let rate = 48000

    /// A cosine of period 100 at 44 kHz (440 Hz), root key 69, looped; written for FluidSynth.
    static func withFont<T>(_ body: (SoundFont, String) throws -> T) throws -> T {
        let wave: [Int16] = (0..<2000).map { Int16((16000 * cos(2 * Double.pi * Double($0) / 100)).rounded()) }
        let header = SampleHeader(name: "a440", start: 0, end: wave.count, loopStart: 0, loopEnd: wave.count,
                                  sampleRate: 44000, originalPitch: 69, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        var zone = Zone()
        zone.generators[.sampleID] = 0
        zone.generators[.sampleModes] = 1
        var presetZone = Zone()
        presetZone.generators[.instrument] = 0
        let font = SoundFont(presets: [Preset(name: "a", bank: 0, program: 0, zones: [presetZone])],
                             instruments: [Instrument(name: "a", zones: [zone])], samples: [header],
                             sampleData: wave + Array(repeating: 0, count: 46))
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/a440.sf2"
        let bytes = SoundFontWriter.bytes(for: font)
        let file = try #require(fopen(path, "wb"))
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        try #require(written == bytes.count)
        return try body(font, path)
    }

    /// Pitch in cents above A4 at each of `times` (seconds, ± 20 ms windows) for both engines.
    static func pitches(_ events: [(frame: Int, message: MidiMessage)], seconds: Double, times: [Double])
        throws -> (native: [Double], fluid: [Double]) {
        try withFont { font, path in
            let frames = Int(seconds * Double(rate))
            var native = try Synthesizer(soundFont: font, settings: SynthesizerSettings(sampleRate: rate, pitchArithmetic: .fluidSynth))
            var fluid = try FluidSynthEngine(soundFontPath: path, sampleRate: rate)
            let a = render(&native, frameCount: frames, blockSize: 64, events: events).left
            let b = render(&fluid, frameCount: frames, blockSize: 64, events: events).left
            func measure(_ signal: [Float]) -> [Double] {
                times.map { t in
                    let centre = Int(t * Double(rate))
                    let window = Array(signal[(centre - 960)..<(centre + 960)])
                    var first = -1.0, last = -1.0, count = 0
                    for i in 1..<window.count where window[i - 1] < 0 && window[i] >= 0 {
                        let x = Double(i - 1) + Double(-window[i - 1]) / Double(window[i] - window[i - 1])
                        if first < 0 { first = x }
                        last = x
                        count += 1
                    }
                    return 1200 * log2(Double(count - 1) / (last - first) * Double(rate) / 440)
                }
            }
            return (measure(a), measure(b))
        }
    }

    static func expectClose(_ result: (native: [Double], fluid: [Double]), within cents: Double, _ label: String) {
        for (n, f) in zip(result.native, result.fluid) {
            #expect(abs(n - f) < cents, "\(label): native \(result.native), FluidSynth \(result.fluid) cents")
        }
    }

    @Test func portamentoLegatoMatchesFluidSynth() throws {
        let events: [(frame: Int, message: MidiMessage)] = [
            (0, .controlChange(channel: 0, controller: 65, value: 127)),
            (0, .controlChange(channel: 0, controller: 5, value: 3)),   // 3 × 128 + 116 = 500 ms
            (0, .controlChange(channel: 0, controller: 37, value: 116)),
            (0, .noteOn(channel: 0, key: 57, velocity: 100)),
            (9600, .noteOn(channel: 0, key: 69, velocity: 100)),
            (9600, .noteOff(channel: 0, key: 57)),
        ]
        let result = try Self.pitches(events, seconds: 1.2, times: [0.25, 0.3, 0.45, 0.55, 0.65, 1.0])
        Self.expectClose(result, within: 10, "poly legato portamento")
    }

    @Test func legatoPedalMonoMatchesFluidSynth() throws {
        let events: [(frame: Int, message: MidiMessage)] = [
            (0, .controlChange(channel: 0, controller: 68, value: 127)),  // legato pedal: mono playing
            (0, .controlChange(channel: 0, controller: 65, value: 127)),
            (0, .controlChange(channel: 0, controller: 37, value: 100)),
            (0, .noteOn(channel: 0, key: 60, velocity: 100)),
            (9600, .noteOn(channel: 0, key: 64, velocity: 100)),
            (24000, .noteOff(channel: 0, key: 64)),                       // back to the held C
        ]
        let result = try Self.pitches(events, seconds: 1, times: [0.1, 0.22, 0.26, 0.4, 0.52, 0.56, 0.8])
        // Measured: within 5 cents on the way up, 12 cents 60 ms into the way back (the glide
        // moves 5.3 cents per 64-frame block: about two blocks apart), equal at both ends.
        Self.expectClose(result, within: 15, "legato pedal")
    }

    /// CC126 (mono on) on channel 0, FluidSynth's basic channel in its default setup: the new
    /// note takes the held one's voice, gliding.
    @Test func monoOnMatchesFluidSynth() throws {
        let events: [(frame: Int, message: MidiMessage)] = [
            (0, .controlChange(channel: 0, controller: 126, value: 1)),
            (0, .controlChange(channel: 0, controller: 65, value: 127)),
            (0, .controlChange(channel: 0, controller: 37, value: 100)),
            (0, .noteOn(channel: 0, key: 60, velocity: 100)),
            (9600, .noteOn(channel: 0, key: 64, velocity: 100)),
        ]
        let result = try Self.pitches(events, seconds: 0.6, times: [0.1, 0.22, 0.26, 0.4])
        Self.expectClose(result, within: 10, "mono on")
    }

    /// SF2 2.04 9.6 NRPN: fine tune +37 cents, then coarse tune -5 semitones on a sounding note.
    @Test func soundFontNRPNMatchesFluidSynth() throws {
        func nrpn(_ frame: Int, generator: Int, offset: Int) -> [(frame: Int, message: MidiMessage)] {
            let data = 8192 + offset
            return [(frame, .controlChange(channel: 0, controller: 99, value: 120)),
                    (frame, .controlChange(channel: 0, controller: 98, value: generator)),
                    (frame, .controlChange(channel: 0, controller: 38, value: data & 127)),
                    (frame, .controlChange(channel: 0, controller: 6, value: data >> 7))]
        }
        let events = nrpn(0, generator: 52, offset: 37) + [(0, .noteOn(channel: 0, key: 69, velocity: 100))]
            + nrpn(24000, generator: 51, offset: -5)
        let result = try Self.pitches(events, seconds: 1, times: [0.2, 0.8])
        Self.expectClose(result, within: 1, "NRPN")
        #expect(abs(result.native[0] - 37) < 1 && abs(result.native[1] + 463) < 1, "native \(result.native)")
    }

    @Test func tuningSysexMatchesFluidSynth() throws {
        var events: [(frame: Int, message: MidiMessage)] = []
        let single: [UInt8] = [0xF0, 0x7F, 0x7F, 0x08, 0x02, 0x00, 0x01, 69, 69, 0x20, 0x00, 0xF7]  // A4 + 25 cents (4096 / 16384 semitone)
        for piece in MidiMessage.sysex(single) { events.append((0, piece)) }
        events += [(0, .controlChange(channel: 0, controller: 101, value: 0)), (0, .controlChange(channel: 0, controller: 100, value: 3)),
                   (0, .controlChange(channel: 0, controller: 6, value: 0)), (0, .noteOn(channel: 0, key: 69, velocity: 100))]
        var octave: [UInt8] = [0xF0, 0x7E, 0x7F, 0x08, 0x08, 0x00, 0x00, 0x01]
        for note in 0..<12 { octave.append(note == 0 ? 64 - 30 : 64) }  // C -30 cents
        octave.append(0xF7)
        for piece in MidiMessage.sysex(octave) { events.append((24000, piece)) }
        events += [(24000, .noteOff(channel: 0, key: 69)), (24000, .noteOn(channel: 0, key: 72, velocity: 100))]
        let result = try Self.pitches(events, seconds: 1, times: [0.2, 0.8])
        Self.expectClose(result, within: 1, "tuning")
        #expect(abs(result.native[0] - 25) < 1 && abs(result.native[1] - 270) < 1, "native \(result.native)")
    }
}
