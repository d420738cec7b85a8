import Testing
@testable import AttaccaCore

/// Flattened regions: key/velocity ranges intersected, instrument generators absolute over the
/// instrument global zone, preset generators added (local over preset global), instrument-only
/// generators ignored at preset level (SF2 2.04 sections 8.5, 9.4).
@Suite struct RegionTableTests {
    func zone(_ generators: [(GeneratorType, Int16)]) -> Zone {
        var z = Zone()
        for (type, value) in generators { z.generators[type] = value }
        return z
    }

    func font() -> SoundFont {
        let header = SampleHeader(name: "s", start: 0, end: 100, loopStart: 10, loopEnd: 90, sampleRate: 44100,
                                  originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        let instrument = Instrument(
            name: "i",
            globalZone: zone([(.coarseTune, 1), (.fineTune, 10), (.velRange, 100 << 8 | 20)]),
            zones: [zone([(.sampleID, 0), (.keyRange, 64 << 8 | 0), (.coarseTune, 2)]),
                    zone([(.sampleID, 0), (.keyRange, 127 << 8 | 65), (.velRange, 127 << 8 | 0)])])
        let preset = Preset(
            name: "p", bank: 0, program: 0,
            globalZone: zone([(.fineTune, 5), (.pan, 100)]),
            zones: [zone([(.instrument, 0), (.keyRange, 72 << 8 | 60), (.fineTune, 7), (.overridingRootKey, 50)])])
        return SoundFont(presets: [preset], instruments: [instrument], samples: [header],
                         sampleData: Array(repeating: 0, count: 146))
    }

    @Test func rangesIntersectAndGeneratorsMerge() throws {
        let table = try RegionTable(soundFont: font())
        #expect(table.presetRegionCount[0] == 2)
        let low = table.regions[table.presetRegionStart[0]], high = table.regions[table.presetRegionStart[0] + 1]
        #expect((low.keyLow, low.keyHigh) == (60, 64))
        #expect((low.velocityLow, low.velocityHigh) == (20, 100))  // from the instrument global zone
        #expect((high.keyLow, high.keyHigh) == (65, 72))
        #expect((high.velocityLow, high.velocityHigh) == (0, 127))  // the zone's own range wins
        func generator(_ region: Region, _ type: GeneratorType) -> Float {
            table.generators[region.generatorOffset + Int(type.rawValue)]
        }
        #expect(generator(low, .coarseTune) == 2)   // local over global
        #expect(generator(high, .coarseTune) == 1)  // global
        #expect(generator(low, .fineTune) == 10 + 7)  // instrument 10 + preset local 7 (not global 5)
        #expect(generator(low, .pan) == 100)  // preset global adds to the instrument default 0
        #expect(generator(low, .overridingRootKey) == -1)  // instrument-only: ignored at preset level
        #expect(generator(low, .initialFilterFc) == 13500)  // default
        #expect(low.contains(key: 62, velocity: 50) && !low.contains(key: 62, velocity: 110))
    }

    @Test func modulatorsStartFromTheDefaults() throws {
        let table = try RegionTable(soundFont: font())
        let region = table.regions[0]
        #expect(region.modulatorCount == CompiledModulator.defaults.count)
    }

    @Test func velocityToFilterModulatorCanBeLeftOut() throws {
        let table = try RegionTable(soundFont: font(), defaultModulators: CompiledModulator.defaults(velocityToFilter: false))
        let region = table.regions[0]
        #expect(region.modulatorCount == CompiledModulator.defaults.count - 1)
        let filterFc = Int(GeneratorType.initialFilterFc.rawValue)
        for i in 0..<region.modulatorCount {
            #expect(table.modulators[region.modulatorOffset + i].destination != filterFc)
        }
        #expect(CompiledModulator.defaults.contains { $0.destination == filterFc })
    }

    @Test func invalidSampleReferenceIsAnError() {
        var bad = Zone()
        bad.generators[.sampleID] = 5
        var presetZone = Zone()
        presetZone.generators[.instrument] = 0
        let f = SoundFont(presets: [Preset(name: "p", bank: 0, program: 0, zones: [presetZone])],
                          instruments: [Instrument(name: "broken", zones: [bad])], samples: [], sampleData: [])
        #expect(throws: SynthesizerError.invalidSampleReference(instrument: "broken", sampleIndex: 5)) {
            _ = try Synthesizer(soundFont: f)
        }
    }
}
