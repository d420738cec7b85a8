import Testing
@testable import AttaccaCore

/// Issue 17, class 2: regions are preset zones × instrument zones, so a few kilobytes of zones
/// naming one big instrument asked for gigabytes. The table is now bounded by the font's content
/// (`RegionTable.regionLimit`) and refused with a clear error beyond it, before anything is built.
@Suite struct RegionLimitTests {
    func zone(_ generators: [(GeneratorType, Int16)], modulators: [Modulator] = []) -> Zone {
        var z = Zone(modulators: modulators)
        for (type, value) in generators { z.generators[type] = value }
        return z
    }

    /// One preset of `presetZones` zones, each naming the one instrument of `instrumentZones` zones
    /// (zone k of the instrument covers key k % 128 only).
    func font(presetZones: Int, instrumentZones: Int, presetModulators: [Modulator] = []) -> SoundFont {
        let header = SampleHeader(name: "s", start: 0, end: 100, loopStart: 10, loopEnd: 90, sampleRate: 44100,
                                  originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        let instrument = Instrument(name: "i", globalZone: nil, zones: (0..<instrumentZones).map { k in
            let key = Int16(k % 128)
            return zone([(.keyRange, key << 8 | key), (.sampleID, 0)])
        })
        let preset = Preset(name: "p", bank: 0, program: 0, globalZone: nil,
                            zones: (0..<presetZones).map { _ in zone([(.instrument, 0)], modulators: presetModulators) })
        return SoundFont(presets: [preset], instruments: [instrument], samples: [header], sampleData: Array(repeating: 0, count: 146))
    }

    @Test func zonesMultiplyingPastTheLimitAreRefused() {
        let soundFont = font(presetZones: 600, instrumentZones: 300)  // 180 000 regions, about 10 KB of zones in a file
        let limit = RegionTable.regionLimit(for: soundFont)
        #expect(limit == 32_768)
        #expect(throws: SynthesizerError.tooManyRegions(count: 180_000, limit: limit)) {
            _ = try RegionTable(soundFont: soundFont)
        }
        #expect(throws: SynthesizerError.tooManyRegions(count: 180_000, limit: limit)) {
            try soundFont.checkSynthesisLimits()
        }
        #expect(SynthesizerError.tooManyRegions(count: 180_000, limit: limit).description.contains("32768"))
    }

    /// Sample data raises the limit by one region per KiB.
    @Test func limitGrowsWithSampleData() {
        let soundFont = SoundFont(presets: [], instruments: [], samples: [], sampleData: Array(repeating: 0, count: 1 << 20))
        #expect(RegionTable.regionLimit(for: soundFont) == 32_768 + 2048)
    }

    /// Below the limit every pair whose key ranges meet becomes a region; the others cost nothing.
    @Test func regionsBelowTheLimitAreBuilt() throws {
        let soundFont = font(presetZones: 50, instrumentZones: 300)
        try soundFont.checkSynthesisLimits()
        let table = try RegionTable(soundFont: soundFont)
        #expect(table.regionCount == 50 * 300)
        #expect(table.presetRegionCount[0] == 15_000)
        // Every region has the default modulators, stored once.
        #expect(table.modulatorCount == CompiledModulator.defaults.count)
        #expect(table.regions[14_999].modulatorOffset == 0)
    }

    /// Thousands of distinct modulators in a zone merge in linear time and all arrive (the
    /// identical one in the list, the last, replaces its twin).
    @Test func longModulatorListsMerge() throws {
        var modulators: [Modulator] = []
        for k in 0..<3000 {
            let source = UInt16(0x80 | (k % 100)), destination = UInt16(k / 100 + 5)
            modulators.append(Modulator(source: source, destination: destination, amount: 10, amountSource: 0, transform: 0))
        }
        modulators.append(Modulator(source: 0x80 | 1, destination: 5, amount: 99, amountSource: 0, transform: 0))
        let soundFont = font(presetZones: 1, instrumentZones: 2, presetModulators: modulators)
        let table = try RegionTable(soundFont: soundFont)
        #expect(table.regionCount == 2)
        let region = table.regions[0]
        let merged = (0..<region.modulatorCount).map { table.modulators[region.modulatorOffset + $0] }
        // Preset modulators identical to a default one add to it instead of being appended.
        let sharedWithDefaults = modulators.prefix(3000).filter { m in
            CompiledModulator.defaults.contains { $0.source == m.source && $0.destination == Int(m.destination) && $0.amountSource == 0 }
        }.count
        #expect(merged.count == CompiledModulator.defaults.count + 3000 - sharedWithDefaults)
        #expect(merged.contains { $0.source == 0x81 && $0.destination == 5 && $0.amount == 99 })
        #expect(!merged.contains { $0.source == 0x81 && $0.destination == 5 && $0.amount == 10 })
    }

    /// A zone naming sample 40000 (more than 32767 headers) is read unsigned, not as -25536.
    @Test func sampleIndexAbove32767IsUnsigned() throws {
        var z = Zone()
        z.generators[.sampleID] = Int16(bitPattern: 40_000)
        #expect(z.sampleIndex == 40_000)
        let header = SampleHeader(name: "s", start: 0, end: 100, loopStart: 10, loopEnd: 90, sampleRate: 44100,
                                  originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        let instrument = Instrument(name: "i", globalZone: nil, zones: [z])
        let preset = Preset(name: "p", bank: 0, program: 0, globalZone: nil, zones: [zone([(.instrument, 0)])])
        let soundFont = SoundFont(presets: [preset], instruments: [instrument], samples: Array(repeating: header, count: 40_001),
                                  sampleData: Array(repeating: 0, count: 146))
        let table = try RegionTable(soundFont: soundFont)
        #expect(table.regions[0].sampleIndex == 40_000)
        let missing = SoundFont(presets: [preset], instruments: [instrument], samples: [header], sampleData: Array(repeating: 0, count: 146))
        #expect(throws: SynthesizerError.invalidSampleReference(instrument: "i", sampleIndex: 40_000)) {
            try missing.checkSynthesisLimits()
        }
    }
}
