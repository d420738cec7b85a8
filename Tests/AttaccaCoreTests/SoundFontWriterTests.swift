import AttaccaAssets
import AttaccaCore
import Testing

@Suite struct SoundFontWriterTests {
    private static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    private static func u32(_ bytes: [UInt8], _ at: Int) -> Int { u16(bytes, at) | u16(bytes, at + 2) << 16 }

    @Test func riffHeaderAndListOrder() {
        let bytes = TestSoundFonts.smallBytes()
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8))
        #expect(Self.u32(bytes, 4) == bytes.count - 8)
        #expect(Array(bytes[8..<12]) == Array("sfbk".utf8))
        let map = RIFFChunkMap(bytes)
        let ids = map.chunks.map(\.id)
        #expect(ids == ["LIST:INFO", "ifil", "isng", "INAM", "irom", "iver", "ICRD", "IENG", "IPRD", "ICOP", "ICMT", "ISFT",
                        "LIST:sdta", "smpl",
                        "LIST:pdta", "phdr", "pbag", "pmod", "pgen", "inst", "ibag", "imod", "igen", "shdr"])
        // Every INFO string chunk has an even size and ends in a zero byte.
        for chunk in map.chunks where ["isng", "INAM", "irom", "ICRD", "IENG", "IPRD", "ICOP", "ICMT", "ISFT"].contains(chunk.id) {
            #expect(chunk.size % 2 == 0, "\(chunk.id)")
            #expect(bytes[chunk.bodyOffset + chunk.size - 1] == 0, "\(chunk.id)")
        }
    }

    @Test func hydraSizesAndTerminalRecords() throws {
        let font = TestSoundFonts.small()
        let bytes = SoundFontWriter.bytes(for: font)
        let map = RIFFChunkMap(bytes)
        let phdr = try #require(map["phdr"]), inst = try #require(map["inst"]), shdr = try #require(map["shdr"])
        #expect(phdr.size == 38 * (font.presets.count + 1))
        #expect(inst.size == 22 * (font.instruments.count + 1))
        #expect(shdr.size == 46 * (font.samples.count + 1))
        let eop = phdr.bodyOffset + 38 * font.presets.count
        #expect(Array(bytes[eop..<eop + 3]) == Array("EOP".utf8))
        let eos = shdr.bodyOffset + 46 * font.samples.count
        #expect(Array(bytes[eos..<eos + 3]) == Array("EOS".utf8))
        // Preset zones: 1 global + 1 + 1 + 1 and the terminal bag; its generator index is the pgen count.
        let pbag = try #require(map["pbag"]), pgen = try #require(map["pgen"])
        #expect(pbag.size == 4 * 5)
        #expect(Self.u16(bytes, pbag.bodyOffset + 16) == pgen.size / 4 - 1)
        #expect(Self.u16(bytes, eop + 24) == 4)  // EOP's bag index
    }

    @Test func generatorOrderKeyRangeVelRangeFirstSampleIDLast() throws {
        let bytes = TestSoundFonts.smallBytes()
        let map = RIFFChunkMap(bytes)
        let ibag = try #require(map["ibag"]), igen = try #require(map["igen"])
        // Instrument "Lead": bag 0 is the global zone, bag 1 the low zone.
        let first = Self.u16(bytes, ibag.bodyOffset + 4), next = Self.u16(bytes, ibag.bodyOffset + 8)
        let operators = (first..<next).map { Self.u16(bytes, igen.bodyOffset + 4 * $0) }
        #expect(operators.first == Int(GeneratorType.keyRange.rawValue))
        #expect(operators.dropFirst().first == Int(GeneratorType.velRange.rawValue))
        #expect(operators.last == Int(GeneratorType.sampleID.rawValue))
        // The global zone has no sampleID.
        let globalOperators = (0..<first).map { Self.u16(bytes, igen.bodyOffset + 4 * $0) }
        #expect(!globalOperators.contains(Int(GeneratorType.sampleID.rawValue)))
        #expect(!globalOperators.isEmpty)
    }

    @Test func sampleDataWrittenVerbatimWithPadding() throws {
        let font = TestSoundFonts.small()
        let bytes = SoundFontWriter.bytes(for: font)
        let smpl = try #require(RIFFChunkMap(bytes)["smpl"])
        #expect(smpl.size == 2 * font.sampleData.count)
        for (index, point) in font.sampleData.enumerated() {
            #expect(Int16(bitPattern: UInt16(Self.u16(bytes, smpl.bodyOffset + 2 * index))) == point)
        }
        // Each sample is followed by 46 zero points inside smpl.
        for sample in font.samples {
            #expect(font.sampleData[sample.end..<sample.end + 46].allSatisfy { $0 == 0 })
        }
    }

    @Test func sampleDataBuilderPadsEachSample() {
        var builder = SampleDataBuilder()
        let a = builder.append([1, 2, 3])
        let b = builder.append([4])
        #expect(a == 0..<3)
        #expect(b == 49..<50)
        #expect(builder.data.count == 96)
        #expect(builder.data[3..<49].allSatisfy { $0 == 0 })
    }

    @Test func sm24WrittenAndVersionRaisedTo204() throws {
        let font = TestSoundFonts.small(with24BitData: true)
        let bytes = SoundFontWriter.bytes(for: font)
        let map = RIFFChunkMap(bytes)
        let sm24 = try #require(map["sm24"]), ifil = try #require(map["ifil"])
        #expect(sm24.size == font.sampleData.count + font.sampleData.count % 2)
        #expect(Self.u16(bytes, ifil.bodyOffset) == 2 && Self.u16(bytes, ifil.bodyOffset + 2) >= 4)
    }

    @Test func longNamesAreCutAtACharacterBoundary() throws {
        let font = SoundFont(presets: [Preset(name: String(repeating: "é", count: 15), bank: 0, program: 0)],
                             instruments: [], samples: [], sampleData: [])
        let bytes = SoundFontWriter.bytes(for: font)
        let phdr = try #require(RIFFChunkMap(bytes)["phdr"])
        let name = Array(bytes[phdr.bodyOffset..<phdr.bodyOffset + 20])
        #expect(name.prefix(20) == ArraySlice(Array(String(repeating: "é", count: 10).utf8)))
    }

    @Test func emptyFontRoundTrips() throws {
        let empty = SoundFont(presets: [], instruments: [], samples: [], sampleData: [])
        let read = try SoundFont(bytes: SoundFontWriter.bytes(for: empty))
        #expect(read.presets.isEmpty && read.instruments.isEmpty && read.samples.isEmpty && read.sampleData.isEmpty)
        #expect(read.info == empty.info)
    }

    /// A zone in `zones` without its terminal generator is written as given, and then is not
    /// a valid zone for the reader (only a first zone may lack it, as the global zone).
    @Test func zoneWithoutTerminalGeneratorIsDroppedOnReading() throws {
        var data = SampleDataBuilder()
        let range = data.append([1, 2, 3, 4])
        var withSample = GeneratorSet()
        withSample[.sampleID] = 0
        var withoutSample = GeneratorSet()
        withoutSample[.pan] = 100
        let font = SoundFont(
            presets: [], instruments: [Instrument(name: "I", zones: [Zone(generators: withSample), Zone(generators: withoutSample)])],
            samples: [SampleHeader(name: "S", start: range.lowerBound, end: range.upperBound, loopStart: 0, loopEnd: 4,
                                   sampleRate: 8000, originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1)],
            sampleData: data.data)
        let read = try SoundFont(bytes: SoundFontWriter.bytes(for: font))
        #expect(read.instruments[0].zones == [Zone(generators: withSample)])
    }
}
