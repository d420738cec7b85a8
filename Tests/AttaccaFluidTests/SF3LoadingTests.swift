import AttaccaAssets
import AttaccaCore
import AttaccaVorbis
import Glibc
import Testing

private let fluidR3Mono = "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3"
private let hasFluidR3Mono = access(fluidR3Mono, R_OK) == 0

/// The SF3 loader (one pool laid out from the streams' lengths, decoded on several threads, or
/// only the samples a MIDI file's programs reach) against a plain sequential decoder written as
/// the loader was before: the same headers and the same points, bit for bit.
@Suite struct SF3LoadingTests {
    /// Stands in for Vorbis: each byte of the "stream" becomes one point of value byte × 10.
    struct ByteDecoder: CompressedSampleDecoder {
        func decode(_ stream: UnsafeRawBufferPointer) throws -> [Int16] { stream.map { Int16($0) * 10 } }
    }

    /// Says a length one point longer than the stream decodes to.
    struct LyingDecoder: CompressedSampleDecoder {
        func decode(_ stream: UnsafeRawBufferPointer) throws -> [Int16] { stream.map { Int16($0) } }
        func decodedLength(of stream: UnsafeRawBufferPointer) throws -> Int { stream.count + 1 }
    }

    /// The decoder of the loader before this one: every sample in header order, decoded to an
    /// array and appended to a growing pool. The reference the loader must match.
    static func reference(_ font: SoundFont, _ decoder: some CompressedSampleDecoder) throws -> (headers: [SampleHeader], points: [Int16]) {
        let raw = UnsafeRawBufferPointer(font.sampleData)
        var pool: [Int16] = []
        var headers: [SampleHeader] = []
        for sample in font.samples {
            var header = sample
            let points: [Int16]
            var loopStart: Int, loopEnd: Int
            if sample.sampleType & 0x8000 != 0 {
                points = []
                loopStart = 0
                loopEnd = 0
            } else if font.info.versionMajor == 3 && sample.sampleType & 0x10 != 0 {
                points = try decoder.decode(UnsafeRawBufferPointer(rebasing: raw[sample.start..<min(sample.end + 1, raw.count)]))
                loopStart = sample.loopStart
                loopEnd = sample.loopEnd
                header.sampleType &= ~0x10
            } else {
                points = Array(font.sampleData[sample.start..<sample.end])
                loopStart = sample.loopStart - sample.start
                loopEnd = sample.loopEnd - sample.start
            }
            let base = pool.count
            pool.append(contentsOf: points)
            pool.append(contentsOf: repeatElement(0, count: 46))
            if loopStart > loopEnd { swap(&loopStart, &loopEnd) }
            if loopStart < 0 || loopStart > points.count { loopStart = 0 }
            if loopEnd < 0 || loopEnd > points.count { loopEnd = points.count }
            header.start = base
            header.end = base + points.count
            header.loopStart = base + loopStart
            header.loopEnd = base + loopEnd
            headers.append(header)
        }
        return (headers, pool)
    }

    /// Whether `font` holds exactly these headers and points (compared as bytes).
    static func matches(_ font: SoundFont, _ expected: (headers: [SampleHeader], points: [Int16])) -> Bool {
        guard font.samples == expected.headers, font.sampleData.count == expected.points.count else { return false }
        return expected.points.withUnsafeBytes { memcmp($0.baseAddress!, font.sampleData.baseAddress!, $0.count) == 0 }
    }

    static let loops: [(String, ConcurrentLoop)] = [
        ("sequential", .sequential), ("1 thread", .threads(1)), ("2 threads", .threads(2)),
        ("7 threads", .threads(7)), ("all cores", .allCores),
    ]

    static func sample(_ name: String, _ start: Int, _ end: Int, loop: (Int, Int) = (0, 0), type: Int = 0x11) -> SampleHeader {
        SampleHeader(name: name, start: start, end: end, loopStart: loop.0, loopEnd: loop.1, sampleRate: 44100,
                     originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: type)
    }

    /// An SF3 font over `samples` and `bytes` as its smpl chunk, one preset per sample (program =
    /// sample index, bank 0) so every sample is playable.
    static func font(samples: [SampleHeader], bytes: [UInt8]) -> SoundFont {
        var padded = bytes
        if padded.count % 2 == 1 { padded.append(0) }
        let points = stride(from: 0, to: padded.count, by: 2).map { Int16(bitPattern: UInt16(padded[$0]) | UInt16(padded[$0 + 1]) << 8) }
        var info = SoundFontInfo()
        info.versionMajor = 3
        var instruments: [Instrument] = [], presets: [Preset] = []
        for index in samples.indices {
            var zone = Zone()
            zone.generators[.sampleID] = Int16(index)
            instruments.append(Instrument(name: "i\(index)", zones: [zone]))
            var presetZone = Zone()
            presetZone.generators[.instrument] = Int16(index)
            presets.append(Preset(name: "p\(index)", bank: 0, program: index, zones: [presetZone]))
        }
        return SoundFont(info: info, presets: presets, instruments: instruments, samples: samples, sampleData: points)
    }

    /// Compressed samples of every size (empty stream of one byte, the same stream twice, a
    /// reversed and an out-of-range loop) around uncompressed and ROM ones, on every loop.
    @Test func craftedFontDecodesAsTheReferenceOnEveryThreadCount() throws {
        let bytes = (0..<400).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        let samples = [
            Self.sample("long", 100, 399, loop: (10, 250)),
            Self.sample("plain", 2, 20, loop: (5, 15), type: 1),  // points 2..<20 of smpl
            Self.sample("one byte", 50, 50),
            Self.sample("rom", 0, 0, type: 0x8001),
            Self.sample("reversed loop", 0, 49, loop: (40, 3)),
            Self.sample("same stream", 100, 399, loop: (0, 9999)),
            Self.sample("short", 51, 60, loop: (2, 4)),
        ]
        let font = Self.font(samples: samples, bytes: bytes)
        let expected = try Self.reference(font, ByteDecoder())
        for (name, loop) in Self.loops {
            let decoded = try font.decompressed(with: ByteDecoder(), concurrently: loop)
            #expect(Self.matches(decoded, expected), "\(name)")
            #expect(!decoded.hasCompressedSamples)
        }
    }

    /// Samples left out by `wanted` take no points and lose the compressed bit; the others are
    /// the same points as in the whole decode.
    @Test func unwantedSamplesStayEmpty() throws {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 5 + 1) }
        let samples = [Self.sample("a", 0, 99, loop: (10, 20)), Self.sample("b", 100, 199), Self.sample("c", 200, 299, loop: (1, 50))]
        let font = Self.font(samples: samples, bytes: bytes)
        let whole = try font.decompressed(with: ByteDecoder())
        for (name, loop) in Self.loops {
            let part = try font.decompressed(with: ByteDecoder(), wanted: [true, false, true], concurrently: loop)
            #expect(!part.hasCompressedSamples, "\(name)")
            #expect(part.samples[1].end == part.samples[1].start && part.samples[1].sampleType & 0x10 == 0, "\(name)")
            #expect(part.sampleData.count == whole.sampleData.count - 100, "\(name)")
            for index in [0, 2] {
                let p = part.samples[index], w = whole.samples[index]
                #expect(p.end - p.start == w.end - w.start && p.loopStart - p.start == w.loopStart - w.start
                        && p.loopEnd - p.start == w.loopEnd - w.start, "\(name)")
                #expect(Array(part.sampleData[p.start..<p.end]) == Array(whole.sampleData[w.start..<w.end]), "\(name)")
            }
        }
        _ = try Synthesizer(soundFont: try font.decompressed(with: ByteDecoder(), wanted: [false, false, false]))
    }

    /// A decoder whose length disagrees with its stream, and streams out of the chunk, fail with
    /// a message naming the sample: the first bad one in header order, whatever the threads.
    @Test func errorsNameTheSample() throws {
        let bytes = [UInt8](repeating: 1, count: 64)
        let font = Self.font(samples: [Self.sample("good", 0, 9), Self.sample("bad one", 10, 19), Self.sample("bad two", 20, 29)], bytes: bytes)
        for (name, loop) in Self.loops {
            #expect(throws: CompressedSampleError.undecodable(sample: "good", reason: "decoded 10 points where its length said 11"), "\(name)") {
                _ = try font.decompressed(with: LyingDecoder(), concurrently: loop)
            }
            let outside = Self.font(samples: [Self.sample("good", 0, 9), Self.sample("far", 500, 600), Self.sample("farther", 700, 800)], bytes: bytes)
            #expect(throws: CompressedSampleError.outOfRange(sample: "far", start: 500, end: 600, chunkBytes: 64), "\(name)") {
                _ = try outside.decompressed(with: ByteDecoder(), concurrently: loop)
            }
        }
        do {
            _ = try font.decompressed(with: VorbisDecoder(), concurrently: .allCores)
            Issue.record("bytes of 1 decoded as Ogg Vorbis")
        } catch {
            #expect("\(error)".contains("\"good\"") && "\(error)".contains("not an Ogg Vorbis stream"), "\(error)")
        }
    }

    /// Presets count by program in any bank, plus program 0 and the lookup's last resort (the
    /// lowest bank and program it indexes); each keeps all of its instruments' samples.
    @Test func reachableSamplesFollowProgramsAndFallbacks() {
        let base = Self.font(samples: (0..<5).map { Self.sample("s\($0)", $0 * 10, $0 * 10 + 9) }, bytes: Array(repeating: 1, count: 50))
        let banksAndPrograms = [(3, 1), (0, 200), (5, 7), (128, 0), (2, 9)]
        let presets = base.presets.enumerated().map { index, preset in
            Preset(name: preset.name, bank: banksAndPrograms[index].0, program: banksAndPrograms[index].1, zones: preset.zones)
        }
        let font = SoundFont(info: base.info, presets: presets, instruments: base.instruments, samples: base.samples,
                             sampleData: Array(base.sampleData))
        #expect(font.samplesReachable(byPrograms: [7]) == [false, false, true, true, true])
        #expect(font.samplesReachable(byPrograms: [1, 72]) == [true, false, false, true, true])
    }

    /// Program changes of every channel and program 0; nothing else.
    @Test func selectableProgramsOfAFile() throws {
        var track = MidiFileWriter.Track()
        track.add(.programChange(channel: 3, program: 17), at: 0)
        track.add(.programChange(channel: 9, program: 25), at: 100)
        track.add(.controlChange(channel: 3, controller: 0, value: 8), at: 200)
        track.addNote(channel: 3, key: 60, velocity: 90, at: 300, length: 10)
        #expect(try MidiFile(bytes: MidiFileWriter().bytes(tracks: [track])).selectablePrograms == [0, 17, 25])
        #expect(try MidiFile(bytes: MidiFileWriter().bytes(tracks: [MidiFileWriter.Track()])).selectablePrograms == [0])
    }

    static let real: SoundFont? = hasFluidR3Mono ? try? SoundFont(path: fluidR3Mono) : nil

    /// FluidR3Mono_GM.sf3 (1037 Vorbis streams): on every core, the same font as the reference.
    @Test(.enabled(if: hasFluidR3Mono, "fluidr3mono-gm-soundfont is not installed"))
    func realFontDecodesAsTheReference() throws {
        let font = try #require(Self.real)
        let expected = try Self.reference(font, VorbisDecoder())
        #expect(expected.points.count == 62_139_807)
        #expect(Self.matches(try font.decompressed(with: VorbisDecoder(), concurrently: .allCores), expected))
    }

    /// Real Vorbis streams cut from FluidR3Mono laid out anew (odd byte offsets, one stream twice,
    /// a stream cut short, one with garbage in the middle): the same as the reference on 3 threads,
    /// or an error naming the broken sample.
    @Test(.enabled(if: hasFluidR3Mono, "fluidr3mono-gm-soundfont is not installed"))
    func realStreamsInACraftedFont() throws {
        let font = try #require(Self.real)
        let raw = UnsafeRawBufferPointer(font.sampleData)
        let picks = [0, 7, 300, 301, 1000]
        var bytes: [UInt8] = [0x55]  // odd start
        var samples: [SampleHeader] = []
        for (order, index) in picks.reversed().enumerated() {
            let s = font.samples[index]
            let start = bytes.count
            bytes += raw[s.start...s.end]
            samples.append(Self.sample("s\(order)", start, bytes.count - 1, loop: (s.loopStart, s.loopEnd)))
        }
        samples.append(samples[1])  // the same stream again
        let crafted = Self.font(samples: samples, bytes: bytes)
        let expected = try Self.reference(crafted, VorbisDecoder())
        #expect(Self.matches(try crafted.decompressed(with: VorbisDecoder(), concurrently: .threads(3)), expected))

        // The second stream cut to half, the third garbled in the middle: the loader decodes what
        // the reference decodes (libvorbisfile skips a damaged page as a hole), or fails naming
        // the sample (a stream yielding other than its ov_pcm_total is refused).
        var cut = samples
        cut[1].end = cut[1].start + (cut[1].end - cut[1].start) / 2
        var garbled = bytes
        for offset in samples[2].start + 5000..<samples[2].start + 5400 { garbled[offset] = 0xA5 }
        for (broken, name) in [(Self.font(samples: cut, bytes: bytes), "s1"), (Self.font(samples: samples, bytes: garbled), "s2")] {
            let expected = try? Self.reference(broken, VorbisDecoder())
            do {
                let decoded = try broken.decompressed(with: VorbisDecoder(), concurrently: .threads(3))
                #expect(expected.map { Self.matches(decoded, $0) } == true, "\(name)")
            } catch {
                #expect("\(error)".hasPrefix("compressed sample \"\(name)\" cannot be decoded"), "\(error)")
            }
        }
    }

    /// A file selecting programs every way a channel can (bank select in each style, XG drum
    /// MSB 127, a GS rhythm part, presets the font lacks so the lookup falls back, a program
    /// change on a channel playing no note), rendered on FluidR3Mono decoded whole and decoded
    /// for its `selectablePrograms` only: the same audio, sample for sample, with far less decoded.
    @Test(.enabled(if: hasFluidR3Mono, "fluidr3mono-gm-soundfont is not installed"),
          arguments: [BankSelectStyle.gs, .xg])
    func reachableSamplesSoundAsTheWholeFont(style: BankSelectStyle) throws {
        let font = try #require(Self.real)
        var track = MidiFileWriter.Track(name: "programs")
        var tick = 0
        func note(_ channel: Int, _ key: Int) {
            track.addNote(channel: channel, key: key, velocity: 100, at: tick, length: 90)
            tick += 120
        }
        func control(_ channel: Int, _ controller: Int, _ value: Int) { track.add(.controlChange(channel: channel, controller: controller, value: value), at: tick) }
        func program(_ channel: Int, _ program: Int) { track.add(.programChange(channel: channel, program: program), at: tick) }
        note(0, 60)                                                    // program 0 at power-on
        control(1, 0, 8); program(1, 4); note(1, 64)                   // bank 8 (GS MSB) program 4
        control(2, 0, 0); control(2, 32, 8); program(2, 25); note(2, 55)  // bank 8 by LSB (XG)
        control(3, 0, 5); program(3, 30); note(3, 50)                  // bank 5 missing: bank 0 program 30
        control(4, 0, 127); program(4, 25); note(4, 38)                // XG drum part, kit 25
        program(9, 40); note(9, 36); note(9, 42)                       // channel 10: kit 40 (brush)
        program(9, 99); note(9, 38)                                    // kit 99 missing: kit 0
        program(10, 48); note(10, 60)
        let sysexTick = tick                                           // GS: channel 11 a rhythm part (program 0)
        tick += 10
        note(10, 40)
        program(5, 117); control(6, 0, 1); program(6, 48)              // programs on silent channels
        control(7, 0, 8); program(7, 116); note(7, 45)
        // The writer leaves sysex out: a second track holds it, written by hand.
        var bytes = MidiFileWriter().bytes(tracks: [track])
        bytes[11] = 2
        let sysex: [UInt8] = [0xF0, 0x0A, 0x41, 0x10, 0x42, 0x12, 0x40, 0x1A, 0x15, 0x02, 0x0F, 0xF7]
        let events: [UInt8] = [UInt8(0x80 | sysexTick >> 7), UInt8(sysexTick & 0x7F)] + sysex + [0x00, 0xFF, 0x2F, 0x00]
        bytes += Array("MTrk".utf8) + [0, 0, 0, UInt8(events.count)] + events
        let midi = try MidiFile(bytes: bytes)
        let programs = midi.selectablePrograms
        #expect(programs == [0, 4, 25, 30, 40, 99, 48, 117, 116])

        let wanted = font.samplesReachable(byPrograms: programs)
        let whole = try font.decompressed(with: VorbisDecoder(), concurrently: .allCores)
        let part = try font.decompressed(with: VorbisDecoder(), wanted: wanted, concurrently: .allCores)
        print("reachable (\(style)): \(wanted.count { $0 }) of \(font.samples.count) samples, "
              + "\(part.sampleData.count) of \(whole.sampleData.count) points")
        #expect(part.sampleData.count * 3 < whole.sampleData.count)

        func render(_ soundFont: SoundFont) throws -> [[Float]] {
            var settings = SynthesizerSettings(sampleRate: 22050)
            settings.bankSelect = style
            var synth = try Synthesizer(soundFont: soundFont, settings: settings)
            return WholeRender.render(&synth, midiFile: midi, tail: 0.5)
        }
        let a = try render(whole), b = try render(part)
        #expect(a == b)
        #expect(a[0].contains { abs($0) > 0.01 })
    }
}
