import AttaccaAssets
import AttaccaCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SoundFontReaderTests {
    private static func expectSameModel(_ a: SoundFont, _ b: SoundFont) {
        #expect(a.info == b.info)
        #expect(a.presets == b.presets)
        #expect(a.instruments == b.instruments)
        #expect(a.samples == b.samples)
        #expect(Array(a.sampleData) == Array(b.sampleData))
        #expect(a.sampleData24.map(Array.init) == b.sampleData24.map(Array.init))
    }

    // MARK: Round trips

    @Test func roundTripThroughBytes() throws {
        let original = TestSoundFonts.small()
        let read = try SoundFont(bytes: SoundFontWriter.bytes(for: original))
        Self.expectSameModel(read, original)
        #expect(read.sampleData24 == nil)
    }

    @Test func roundTripThroughFileMapping() throws {
        let original = TestSoundFonts.small()
        let file = TemporaryFile(SoundFontWriter.bytes(for: original))
        let read = try SoundFont(path: file.path)
        Self.expectSameModel(read, original)
    }

    @Test func roundTripWith24BitData() throws {
        let original = TestSoundFonts.small(with24BitData: true)
        let bytes = SoundFontWriter.bytes(for: original)
        let file = TemporaryFile(bytes)
        for read in [try SoundFont(bytes: bytes), try SoundFont(path: file.path)] {
            Self.expectSameModel(read, original)
            #expect(read.sampleData24?.count == read.sampleData.count)
        }
    }

    @Test func rewritingAReadFontGivesTheSameBytes() throws {
        let bytes = TestSoundFonts.smallBytes(with24BitData: true)
        #expect(SoundFontWriter.bytes(for: try SoundFont(bytes: bytes)) == bytes)
    }

    @Test func presetLookupByBankAndProgram() throws {
        let font = try SoundFont(bytes: TestSoundFonts.smallBytes())
        #expect(font.preset(bank: 128, program: 0)?.name == "Standard Kit")
        #expect(font.preset(bank: 1, program: 80)?.name == "Lead Octave")
        #expect(font.preset(bank: 5, program: 5) == nil)
        #expect(font.presets[0].zones[0].instrumentIndex == 0)
        #expect(font.instruments[0].zones[1].sampleIndex == 1)
        #expect(font.instruments[0].globalZone?.sampleIndex == nil)
    }

    // MARK: Generator rules (SF2 2.04 section 8.1.2, 9.4)

    private typealias Raw = RawSoundFontBuilder
    private static func op(_ type: GeneratorType) -> UInt16 { type.rawValue }

    /// One preset over one instrument whose zones are given.
    private static func font(instrumentZones: [Raw.RawZone], presetZones: [Raw.RawZone]? = nil) throws -> SoundFont {
        var raw = Raw()
        raw.instruments = [Raw.RawHeader(name: "I", zones: instrumentZones)]
        raw.presets = [Raw.RawHeader(name: "P", zones: presetZones ?? [Raw.RawZone(generators: [(op(.instrument), 0)])])]
        return try SoundFont(bytes: raw.bytes())
    }

    @Test func keyRangeCountsOnlyFirstAndVelRangeOnlyAfterKeyRange() throws {
        let font = try Self.font(instrumentZones: [
            Raw.RawZone(generators: [(Self.op(.keyRange), Raw.range(10, 20)), (Self.op(.velRange), Raw.range(1, 50)), (Self.op(.sampleID), 0)]),
            Raw.RawZone(generators: [(Self.op(.velRange), Raw.range(5, 6)), (Self.op(.sampleID), 0)]),
            Raw.RawZone(generators: [(Self.op(.pan), 100), (Self.op(.keyRange), Raw.range(30, 40)),
                                     (Self.op(.velRange), Raw.range(7, 8)), (Self.op(.sampleID), 0)]),
            Raw.RawZone(generators: [(Self.op(.keyRange), Raw.range(1, 2)), (Self.op(.keyRange), Raw.range(3, 4)), (Self.op(.sampleID), 0)]),
        ])
        let zones = font.instruments[0].zones
        try #require(zones.count == 4)
        #expect(zones[0].generators.keyRange == 10...20 && zones[0].generators.velocityRange == 1...50)
        #expect(zones[1].generators.velocityRange == 5...6 && !zones[1].generators.isSet(.keyRange))
        #expect(!zones[2].generators.isSet(.keyRange) && !zones[2].generators.isSet(.velRange))
        #expect(zones[2].generators[.pan] == 100)
        #expect(zones[3].generators.keyRange == 1...2)
    }

    @Test func generatorsAfterTheTerminalAreIgnored() throws {
        let font = try Self.font(
            instrumentZones: [Raw.RawZone(generators: [(Self.op(.pan), 5), (Self.op(.sampleID), 0), (Self.op(.pan), 50)])],
            presetZones: [Raw.RawZone(generators: [(Self.op(.instrument), 0), (Self.op(.coarseTune), 7)])])
        #expect(font.instruments[0].zones[0].generators[.pan] == 5)
        #expect(!font.presets[0].zones[0].generators.isSet(.coarseTune))
    }

    @Test func instrumentOnlyGeneratorsAreIgnoredInPresets() throws {
        let instrumentOnly: [GeneratorType] = [
            .startAddrsOffset, .endAddrsOffset, .startloopAddrsOffset, .endloopAddrsOffset, .startAddrsCoarseOffset,
            .endAddrsCoarseOffset, .startloopAddrsCoarseOffset, .endloopAddrsCoarseOffset, .keynum, .velocity,
            .sampleModes, .exclusiveClass, .overridingRootKey, .sampleID,
        ]
        let extra: [(UInt16, Int16)] = [(Self.op(.coarseTune), 2), (Self.op(.scaleTuning), 50), (Self.op(.instrument), 0)]
        let presetGenerators: [(UInt16, Int16)] = instrumentOnly.map { (Self.op($0), Int16(3)) } + extra
        let atInstrument: [(UInt16, Int16)] = instrumentOnly.filter { $0 != .sampleID }.map { (Self.op($0), Int16(1)) }
        let terminal: [(UInt16, Int16)] = [(Self.op(.instrument), 0), (Self.op(.sampleID), 0)]
        let font = try Self.font(instrumentZones: [Raw.RawZone(generators: atInstrument + terminal)],
                                 presetZones: [Raw.RawZone(generators: presetGenerators)])
        let preset = font.presets[0].zones[0].generators
        for type in instrumentOnly { #expect(!preset.isSet(type), "\(type)") }
        #expect(preset[.coarseTune] == 2 && preset[.scaleTuning] == 50 && preset[.instrument] == 0)
        // At instrument level they count, and `instrument` does not.
        let instrument = font.instruments[0].zones[0].generators
        for type in instrumentOnly where type != .sampleID { #expect(instrument[type] == 1, "\(type)") }
        #expect(!instrument.isSet(.instrument))
    }

    @Test func unknownAndUnusedGeneratorsAreIgnoredAndDuplicatesLastWins() throws {
        let unknown: [UInt16] = [14, 18, 19, 20, 42, 49, 55, 59, 60, 61, 64, 99, 1000, 0xFFFF]
        let font = try Self.font(instrumentZones: [
            Raw.RawZone(generators: unknown.map { ($0, 1) } + [(Self.op(.pan), 10), (Self.op(.pan), 20),
                                                              (Self.op(.initialAttenuation), 30), (Self.op(.sampleID), 0)]),
        ])
        let generators = font.instruments[0].zones[0].generators
        #expect(generators[.pan] == 20)
        #expect(generators[.initialAttenuation] == 30)
        var expected = GeneratorSet()
        expected[.pan] = 20
        expected[.initialAttenuation] = 30
        expected[.sampleID] = 0
        #expect(generators == expected)
    }

    @Test func globalZoneOnlyFirstAndOtherZonesWithoutTerminalDropped() throws {
        let font = try Self.font(instrumentZones: [
            Raw.RawZone(generators: [(Self.op(.releaseVolEnv), 100)]),
            Raw.RawZone(generators: [(Self.op(.pan), 1), (Self.op(.sampleID), 0)]),
            Raw.RawZone(generators: [(Self.op(.pan), 2)]),
            Raw.RawZone(generators: [(Self.op(.pan), 3), (Self.op(.sampleID), 0)]),
        ], presetZones: [
            Raw.RawZone(generators: [(Self.op(.instrument), 0)]),
            Raw.RawZone(generators: [(Self.op(.coarseTune), 1)]),
        ])
        let instrument = font.instruments[0]
        #expect(instrument.globalZone?.generators[.releaseVolEnv] == 100)
        #expect(instrument.zones.map { $0.generators[.pan] } == [1, 3])
        #expect(font.presets[0].globalZone == nil)
        #expect(font.presets[0].zones.count == 1)
    }

    @Test func identicalModulatorsKeepTheLastOne() throws {
        let a = Modulator(source: 0x0502, destination: 48, amount: 100, amountSource: 0, transform: 0)
        var a2 = a
        a2.amount = 200
        let b = Modulator(source: 0x0502, destination: 48, amount: 100, amountSource: 0, transform: 2)
        let font = try Self.font(instrumentZones: [
            Raw.RawZone(generators: [(Self.op(.sampleID), 0)], modulators: [a, b, a2]),
        ])
        #expect(font.instruments[0].zones[0].modulators == [b, a2])
    }

    @Test func identicalModulatorsInALongListKeepTheLastOne() throws {
        // 60 modulators over 20 distinct identities: the dictionary path must agree with the rule.
        let modulators = (0..<60).map { index in
            Modulator(source: UInt16(index % 20), destination: 48, amount: Int16(index), amountSource: 0, transform: 0)
        }
        let font = try Self.font(instrumentZones: [Raw.RawZone(generators: [(Self.op(.sampleID), 0)], modulators: modulators)])
        #expect(font.instruments[0].zones[0].modulators == Array(modulators[40..<60]))
    }

    // MARK: Samples

    @Test func loopPointsOutsideTheSampleAreRepairedAsFluidSynthDoes() throws {
        var raw = Raw()
        raw.samples = [
            SampleHeader(name: "beyond", start: 0, end: 100, loopStart: 5000, loopEnd: 9000, sampleRate: 44100,
                         originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1),
            SampleHeader(name: "reversed", start: 10, end: 100, loopStart: 80, loopEnd: 20, sampleRate: 44100,
                         originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1),
            SampleHeader(name: "before", start: 10, end: 100, loopStart: 2, loopEnd: 5, sampleRate: 44100,
                         originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1),
            SampleHeader(name: "in padding", start: 0, end: 100, loopStart: 50, loopEnd: 120, sampleRate: 44100,
                         originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1),
        ]
        let samples = try SoundFont(bytes: raw.bytes()).samples
        #expect((samples[0].loopStart, samples[0].loopEnd) == (0, 100))
        #expect((samples[1].loopStart, samples[1].loopEnd) == (20, 80))
        #expect((samples[2].loopStart, samples[2].loopEnd) == (10, 100))
        #expect((samples[3].loopStart, samples[3].loopEnd) == (50, 120))  // inside smpl: kept
    }

    @Test func romSamplesAreKeptWithOffsetsInsideTheData() throws {
        var raw = Raw()
        raw.samples.append(SampleHeader(name: "rom", start: 1_000_000, end: 2_000_000, loopStart: 1_000_010, loopEnd: 1_000_020,
                                        sampleRate: 44100, originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 0x8001))
        let font = try SoundFont(bytes: raw.bytes())
        let rom = font.samples[1]
        #expect(rom.sampleType == 0x8001)
        #expect(rom.start <= rom.end && rom.end <= font.sampleData.count)
        #expect(rom.loopStart <= font.sampleData.count && rom.loopEnd <= font.sampleData.count)
    }

    @Test func sm24IgnoredBeforeVersion204() throws {
        let font = TestSoundFonts.small(with24BitData: true)
        var bytes = SoundFontWriter.bytes(for: font)
        let ifil = try #require(RIFFChunkMap(bytes)["ifil"])
        bytes[ifil.bodyOffset + 2] = 1  // version 2.01
        let read = try SoundFont(bytes: bytes)
        #expect(read.sampleData24 == nil)
        #expect(Array(read.sampleData) == Array(font.sampleData))
    }

    @Test func sm24OfTheWrongSizeIgnored() throws {
        let font = TestSoundFonts.small(with24BitData: true)
        var bytes = SoundFontWriter.bytes(for: font)
        let sm24 = try #require(RIFFChunkMap(bytes)["sm24"])
        // Shrink sm24 by 10 bytes and turn those bytes into an unknown 2-byte chunk, so the sdta
        // list still adds up but sm24 no longer has one byte per point.
        let size = sm24.size - 10
        bytes[sm24.offset + 4] = UInt8(size & 0xFF)
        bytes[sm24.offset + 5] = UInt8(size >> 8 & 0xFF)
        let junk = sm24.bodyOffset + size
        bytes.replaceSubrange(junk..<junk + 10, with: Array("junk".utf8) + [2, 0, 0, 0, 0, 0])
        let read = try SoundFont(bytes: bytes)
        #expect(read.sampleData24 == nil)
    }

    @Test func makingSampleDataResidentKeepsItUnchanged() throws {
        let original = TestSoundFonts.small()
        let file = TemporaryFile(SoundFontWriter.bytes(for: original))
        let mapped = try SoundFont(path: file.path)
        _ = mapped.makeSampleDataResident()
        #expect(Array(mapped.sampleData) == Array(original.sampleData))
        #expect(original.makeSampleDataResident())  // in-memory fonts are resident already
    }

    // MARK: Names

    @Test func namesStopAtNulAndInvalidUTF8IsReplaced() throws {
        var raw = Raw()
        raw.instruments = [Raw.RawHeader(name: "I", zones: [Raw.RawZone(generators: [(Self.op(.sampleID), 0)])])]
        raw.presets = [Raw.RawHeader(name: "ABCDEFGHIJKLMNOPQRST", zones: [Raw.RawZone(generators: [(Self.op(.instrument), 0)])])]
        var bytes = raw.bytes()
        let inst = try #require(RIFFChunkMap(bytes)["inst"])
        bytes[inst.bodyOffset] = 0xFF  // invalid UTF-8 lead byte
        bytes[inst.bodyOffset + 1] = 0x41
        let font = try SoundFont(bytes: bytes)
        #expect(font.presets[0].name == "ABCDEFGHIJKLMNOPQRST")  // all 20 bytes, no NUL
        #expect(font.instruments[0].name == "\u{FFFD}A")
        #expect(font.info.name == "Raw")
    }

    // MARK: Debian GM SoundFonts

    static let hasTimGM6mb = access(TestSoundFonts.timGM6mbPath, R_OK) == 0
    static let hasFluidR3 = access(TestSoundFonts.fluidR3Path, R_OK) == 0

    /// Expected values from `fluidsynth` itself: `fonts` / `inst 1` list 136 presets.
    @Test(.enabled(if: hasTimGM6mb)) func timGM6mbStructure() throws {
        let font = try SoundFont(path: TestSoundFonts.timGM6mbPath)
        #expect(font.presets.count == 136)
        #expect(font.preset(bank: 0, program: 0)?.name == "Piano 1")
        #expect(font.preset(bank: 0, program: 1)?.name == "Piano 2")
        #expect(font.preset(bank: 128, program: 0)?.name == "Standard")
        #expect(font.preset(bank: 128, program: 48)?.name == "Orchestra")
        #expect(font.info.versionMajor == 2)
        for preset in font.presets {
            #expect(!preset.zones.isEmpty, "\(preset.name)")
            for zone in preset.zones { #expect(zone.instrumentIndex.map { $0 < font.instruments.count } == true) }
        }
        for instrument in font.instruments {
            for zone in instrument.zones {
                let index = try #require(zone.sampleIndex)
                #expect(index < font.samples.count, "\(instrument.name)")
            }
        }
        for sample in font.samples {
            #expect(sample.start <= sample.end && sample.end <= font.sampleData.count, "\(sample.name)")
            #expect(sample.loopStart >= sample.start && sample.loopEnd <= font.sampleData.count, "\(sample.name)")
        }
        // The same file through the bytes initializer gives the same model.
        let bytes = try #require(Self.readFile(TestSoundFonts.timGM6mbPath))
        let copy = try SoundFont(bytes: bytes)
        #expect(copy.presets == font.presets && copy.instruments == font.instruments && copy.samples == font.samples)
        #expect(copy.sampleData.count == font.sampleData.count)
        #expect(copy.sampleData.elementsEqual(font.sampleData))
    }

    /// A real font survives writer and reader unchanged (the writer normalises generator order,
    /// so the bytes may differ, the model may not).
    @Test(.enabled(if: hasTimGM6mb)) func timGM6mbRoundTrip() throws {
        let font = try SoundFont(path: TestSoundFonts.timGM6mbPath)
        let again = try SoundFont(bytes: SoundFontWriter.bytes(for: font))
        Self.expectSameModel(again, font)
    }

    /// FluidSynth lists 189 presets for FluidR3_GM.
    @Test(.enabled(if: hasFluidR3)) func fluidR3Structure() throws {
        let font = try SoundFont(path: TestSoundFonts.fluidR3Path)
        #expect(font.presets.count == 189)
        #expect(font.preset(bank: 0, program: 0)?.name == "Yamaha Grand Piano")
        #expect(font.preset(bank: 0, program: 127)?.name == "Gun Shot")
        #expect(font.preset(bank: 8, program: 4)?.name == "Detuned EP 1")
        #expect(font.preset(bank: 128, program: 0) != nil)
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }
}
