/// Every preset's regions, flattened once when the synthesizer is created, and the
/// bank/program lookup. Storage is allocated in `init` and freed in `deinit`; the render path
/// only reads it.
struct RegionTable: ~Copyable {
    let regions: UnsafeMutablePointer<Region>
    let regionCount: Int
    /// 61 generator values per region: instrument values absolute, preset values added.
    let generators: UnsafeMutablePointer<Float>
    let modulators: UnsafeMutablePointer<CompiledModulator>
    let modulatorCount: Int
    let samples: UnsafeMutablePointer<SampleInfo>
    let sampleCount: Int
    /// Per preset index: first region and region count.
    let presetRegionStart: UnsafeMutablePointer<Int>
    let presetRegionCount: UnsafeMutablePointer<Int>
    let presetCount: Int
    /// Preset index for bank 0...128 × program 0...127, or -1.
    let presetLookup: UnsafeMutablePointer<Int32>
    /// The preset with the lowest melodic (bank, program), the last resort of `findPreset`.
    let firstMelodicPreset: Int

    static let banks = 129

    /// Generators a preset zone may not set (SF2 2.04 section 8.5): ignored there.
    static let instrumentOnly: Set<Int> = [0, 1, 2, 3, 4, 12, 41, 43, 44, 45, 46, 47, 50, 53, 54, 57, 58]

    /// Most regions a SoundFont may make: 32768 (about 9 MB of tables) plus one per KiB of
    /// sample data. Regions are preset zones crossed with instrument zones, so a few kilobytes
    /// of zones naming one big instrument again and again could ask for gigabytes; real fonts
    /// stay far below (FluidR3_GM, 141 MB: 18082, where its limit is about 177000).
    static func regionLimit(for soundFont: SoundFont) -> Int {
        32_768 + soundFont.sampleData.count * 2 / 1024
    }

    /// Most modulator entries all regions together may hold (identical lists are shared).
    static func modulatorLimit(for soundFont: SoundFont) -> Int { 8 * regionLimit(for: soundFont) }

    /// Preset zones × the zones of the instrument each names: the regions before the key and
    /// velocity ranges are intersected, counted without building anything (saturating).
    static func pairCount(_ soundFont: SoundFont) -> Int {
        var pairs = 0
        for preset in soundFont.presets {
            for zone in preset.zones {
                guard let index = zone.instrumentIndex, index < soundFont.instruments.count else { continue }
                pairs = pairs.addingReportingOverflow(soundFont.instruments[index].zones.count).partialValue
                if pairs < 0 { return .max }
            }
        }
        return pairs
    }

    /// Throws when the font would make more regions than `regionLimit` allows.
    static func checkLimits(_ soundFont: SoundFont) throws(SynthesizerError) {
        let pairs = pairCount(soundFont), limit = regionLimit(for: soundFont)
        if pairs > limit { throw .tooManyRegions(count: pairs, limit: limit) }
        for instrument in soundFont.instruments {
            for zone in instrument.zones {
                guard let sampleIndex = zone.sampleIndex, sampleIndex < soundFont.samples.count else {
                    throw .invalidSampleReference(instrument: instrument.name, sampleIndex: zone.sampleIndex ?? -1)
                }
            }
        }
    }

    /// `silenceVelocityToFilter`: every modulator identical (FluidSynth's identity: sources and
    /// destination) to the SF2 default velocity -> filter cutoff one contributes nothing, as in
    /// FluidSynth's `fluid_mod_get_value`, whether it comes from the defaults or the font.
    init(soundFont: SoundFont, defaultModulators: [CompiledModulator] = CompiledModulator.defaults,
         silenceVelocityToFilter: Bool = false) throws(SynthesizerError) {
        try Self.checkLimits(soundFont)
        let generatorCount = GeneratorType.count
        let modulatorLimit = Self.modulatorLimit(for: soundFont)
        var modulatorList: [CompiledModulator] = []
        var starts: [Int] = []
        var counts: [Int] = []
        // The regions are counted first so the generator values (61 per region, most of the
        // memory) go straight into storage of the right size.
        var regionTotal = 0
        for preset in soundFont.presets {
            for presetZone in preset.zones {
                guard let instrumentIndex = presetZone.instrumentIndex, instrumentIndex < soundFont.instruments.count else { continue }
                let instrument = soundFont.instruments[instrumentIndex]
                let presetKeys = Self.range(.keyRange, presetZone, preset.globalZone)
                let presetVelocities = Self.range(.velRange, presetZone, preset.globalZone)
                for zone in instrument.zones {
                    let keys = Self.range(.keyRange, zone, instrument.globalZone)
                    let velocities = Self.range(.velRange, zone, instrument.globalZone)
                    if max(keys.lowerBound, presetKeys.lowerBound) <= min(keys.upperBound, presetKeys.upperBound),
                       max(velocities.lowerBound, presetVelocities.lowerBound) <= min(velocities.upperBound, presetVelocities.upperBound) {
                        regionTotal += 1
                    }
                }
            }
        }
        let generatorStorage = UnsafeMutablePointer<Float>.allocate(capacity: max(regionTotal * generatorCount, 1))
        var generatorUsed = 0
        let regionStorage = UnsafeMutablePointer<Region>.allocate(capacity: max(regionTotal, 1))
        var regionUsed = 0
        // Regions with the same modulator list (most: the defaults only) share one copy.
        var lastModulators: (offset: Int, list: [CompiledModulator])?

        // A flat table, not Set.contains: this runs once per generator per region (about a million
        // times for FluidR3_GM), where hashing cost ~6 % of a whole dense.mid render's instructions.
        var isInstrumentOnly = [Bool](repeating: false, count: generatorCount)
        for g in Self.instrumentOnly where g < generatorCount { isInstrumentOnly[g] = true }
        let instrumentGlobals = soundFont.instruments.map { $0.globalZone }
        for preset in soundFont.presets {
            starts.append(regionUsed)
            let presetGlobal = preset.globalZone
            for presetZone in preset.zones {
                guard let instrumentIndex = presetZone.instrumentIndex, instrumentIndex < soundFont.instruments.count else { continue }
                let instrument = soundFont.instruments[instrumentIndex]
                let instrumentGlobal = instrumentGlobals[instrumentIndex]

                let presetKeys = Self.range(.keyRange, presetZone, presetGlobal)
                let presetVelocities = Self.range(.velRange, presetZone, presetGlobal)
                let presetModulators = Self.merge(presetGlobal?.modulators ?? [], over: [], replacing: true)
                let presetLocalModulators = Self.merge(presetZone.modulators, over: presetModulators, replacing: true)
                let instrumentModulators = Self.merge(instrumentGlobal?.modulators ?? [], over: defaultModulators, replacing: true)

                for zone in instrument.zones {
                    let sampleIndex = zone.sampleIndex ?? -1
                    guard sampleIndex >= 0, sampleIndex < soundFont.samples.count else {
                        generatorStorage.deallocate()
                        regionStorage.deallocate()
                        throw .invalidSampleReference(instrument: instrument.name, sampleIndex: sampleIndex)
                    }
                    let keys = Self.range(.keyRange, zone, instrumentGlobal)
                    let velocities = Self.range(.velRange, zone, instrumentGlobal)
                    let keyLow = max(keys.lowerBound, presetKeys.lowerBound), keyHigh = min(keys.upperBound, presetKeys.upperBound)
                    let velocityLow = max(velocities.lowerBound, presetVelocities.lowerBound)
                    let velocityHigh = min(velocities.upperBound, presetVelocities.upperBound)
                    guard keyLow <= keyHigh, velocityLow <= velocityHigh else { continue }

                    let generatorOffset = generatorUsed
                    for g in 0..<generatorCount {
                        let type = GeneratorType(rawValue: UInt16(g))!
                        var value: Float
                        if zone.generators.isSet(type) {
                            value = Float(zone.generators[type])
                        } else if let global = instrumentGlobal, global.generators.isSet(type) {
                            value = Float(global.generators[type])
                        } else {
                            value = Float(type.defaultValue)
                        }
                        if !isInstrumentOnly[g] {
                            if presetZone.generators.isSet(type) {
                                value += Float(presetZone.generators[type])
                            } else if let global = presetGlobal, global.generators.isSet(type) {
                                value += Float(global.generators[type])
                            }
                        }
                        (generatorStorage + generatorUsed).initialize(to: value)
                        generatorUsed += 1
                    }

                    var merged = Self.merge(zone.modulators, over: instrumentModulators, replacing: true)
                    // Preset-level modulators add to identical instrument-level ones (9.5: additive).
                    Self.add(presetLocalModulators, to: &merged)
                    if silenceVelocityToFilter { merged.removeAll { $0.isDefaultVelocityToFilter } }
                    let modulatorOffset: Int
                    if let last = lastModulators, last.list == merged {
                        modulatorOffset = last.offset
                    } else {
                        guard modulatorList.count + merged.count <= modulatorLimit else {
                            generatorStorage.deallocate()
                            regionStorage.deallocate()
                            throw .tooManyModulators(limit: modulatorLimit)
                        }
                        modulatorOffset = modulatorList.count
                        modulatorList.append(contentsOf: merged)
                        lastModulators = (modulatorOffset, merged)
                    }
                    (regionStorage + regionUsed).initialize(to: Region(
                        keyLow: keyLow, keyHigh: keyHigh, velocityLow: velocityLow, velocityHigh: velocityHigh,
                        sampleIndex: sampleIndex, generatorOffset: generatorOffset,
                        modulatorOffset: modulatorOffset, modulatorCount: merged.count))
                    regionUsed += 1
                }
            }
            counts.append(regionUsed - starts[starts.count - 1])
        }

        regionCount = regionUsed
        regions = regionStorage
        generators = generatorStorage
        modulatorCount = modulatorList.count
        modulators = .allocate(capacity: max(modulatorCount, 1))
        modulators.initialize(from: modulatorList, count: modulatorCount)
        sampleCount = soundFont.samples.count
        samples = .allocate(capacity: max(sampleCount, 1))
        samples.initialize(from: soundFont.samples.map(SampleInfo.init), count: sampleCount)
        presetCount = soundFont.presets.count
        presetRegionStart = .allocate(capacity: max(presetCount, 1))
        presetRegionStart.initialize(from: starts, count: presetCount)
        presetRegionCount = .allocate(capacity: max(presetCount, 1))
        presetRegionCount.initialize(from: counts, count: presetCount)
        presetLookup = .allocate(capacity: Self.banks * 128)
        presetLookup.initialize(repeating: -1, count: Self.banks * 128)
        var first = -1
        for (index, preset) in soundFont.presets.enumerated() {
            guard (0..<Self.banks).contains(preset.bank), (0..<128).contains(preset.program) else { continue }
            let slot = preset.bank * 128 + preset.program
            if presetLookup[slot] < 0 { presetLookup[slot] = Int32(index) }
            if preset.bank < 128 {
                if first < 0 || (preset.bank, preset.program) < (soundFont.presets[first].bank, soundFont.presets[first].program) {
                    first = index
                }
            }
        }
        firstMelodicPreset = first
    }

    deinit {
        regions.deallocate()
        generators.deallocate()
        modulators.deallocate()
        samples.deallocate()
        presetRegionStart.deallocate()
        presetRegionCount.deallocate()
        presetLookup.deallocate()
    }

    /// The preset index for a bank and program, falling back as FluidSynth's program change
    /// does: percussion to bank 128 program 0; melodic to bank 0 same program, then bank 0
    /// program 0, then (unlike FluidSynth, which stays silent) the first melodic preset.
    @_noLocks
    @inline(__always)
    func findPreset(bank: Int, program: Int, percussion: Bool) -> Int {
        let program = program & 127
        if bank >= 0 && bank < Self.banks {
            let exact = Int(presetLookup[bank * 128 + program])
            if exact >= 0 { return exact }
        }
        if percussion {
            return Int(presetLookup[128 * 128])
        }
        let sameProgram = Int(presetLookup[program])
        if sameProgram >= 0 { return sameProgram }
        let piano = Int(presetLookup[0])
        if piano >= 0 { return piano }
        return firstMelodicPreset
    }

    static func range(_ type: GeneratorType, _ zone: Zone, _ global: Zone?) -> ClosedRange<UInt8> {
        if zone.generators.isSet(type) { return GeneratorSet.range(zone.generators[type]) }
        if let global, global.generators.isSet(type) { return GeneratorSet.range(global.generators[type]) }
        return 0...127
    }

    /// `list` laid over `base`: each modulator replaces an identical one in `base` or is appended.
    /// Link modulators and modulators with an invalid destination are dropped (not supported).
    /// Identical ones are found through a dictionary, so long lists cannot make this quadratic.
    static func merge(_ list: [Modulator], over base: [CompiledModulator], replacing: Bool) -> [CompiledModulator] {
        var result = base
        var positions = ModulatorPositions(result)
        for modulator in list {
            guard modulator.destination & 0x8000 == 0, Int(modulator.destination) < GeneratorType.count,
                  modulator.source & 0xFF != 127, modulator.amountSource & 0xFF != 127 else { continue }
            let compiled = CompiledModulator(
                source: modulator.source, amountSource: modulator.amountSource,
                destination: Int(modulator.destination), amount: Float(modulator.amount),
                absoluteValue: modulator.transform == 2)
            if let i = positions.find(compiled, in: result) {
                result[i] = compiled
            } else {
                positions.insert(compiled, at: result.count)
                result.append(compiled)
            }
        }
        return result
    }

    /// Adds each of `list` to the amount of an identical modulator in `result`, or appends it.
    static func add(_ list: [CompiledModulator], to result: inout [CompiledModulator]) {
        if list.isEmpty { return }
        var positions = ModulatorPositions(result)
        for modulator in list {
            if let i = positions.find(modulator, in: result) {
                result[i].amount += modulator.amount
            } else {
                positions.insert(modulator, at: result.count)
                result.append(modulator)
            }
        }
    }
}
