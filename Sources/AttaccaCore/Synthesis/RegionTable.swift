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

    /// `silenceVelocityToFilter`: every modulator identical (FluidSynth's identity: sources and
    /// destination) to the SF2 default velocity -> filter cutoff one contributes nothing, as in
    /// FluidSynth's `fluid_mod_get_value`, whether it comes from the defaults or the font.
    init(soundFont: SoundFont, defaultModulators: [CompiledModulator] = CompiledModulator.defaults,
         silenceVelocityToFilter: Bool = false) throws(SynthesizerError) {
        let generatorCount = GeneratorType.count
        var regionList: [Region] = []
        var generatorList: [Float] = []
        var modulatorList: [CompiledModulator] = []
        var starts: [Int] = []
        var counts: [Int] = []

        // A flat table, not Set.contains: this runs once per generator per region (about a million
        // times for FluidR3_GM), where hashing cost ~6 % of a whole dense.mid render's instructions.
        var isInstrumentOnly = [Bool](repeating: false, count: generatorCount)
        for g in Self.instrumentOnly where g < generatorCount { isInstrumentOnly[g] = true }
        let instrumentGlobals = soundFont.instruments.map { $0.globalZone }
        for preset in soundFont.presets {
            starts.append(regionList.count)
            let presetGlobal = preset.globalZone
            for presetZone in preset.zones {
                let instrumentIndex = Int(presetZone.generators[.instrument])
                guard instrumentIndex >= 0, instrumentIndex < soundFont.instruments.count else { continue }
                let instrument = soundFont.instruments[instrumentIndex]
                let instrumentGlobal = instrumentGlobals[instrumentIndex]

                let presetKeys = Self.range(.keyRange, presetZone, presetGlobal)
                let presetVelocities = Self.range(.velRange, presetZone, presetGlobal)
                let presetModulators = Self.merge(presetGlobal?.modulators ?? [], over: [], replacing: true)
                let presetLocalModulators = Self.merge(presetZone.modulators, over: presetModulators, replacing: true)

                for zone in instrument.zones {
                    let sampleIndex = Int(zone.generators[.sampleID])
                    guard sampleIndex >= 0, sampleIndex < soundFont.samples.count else {
                        throw .invalidSampleReference(instrument: instrument.name, sampleIndex: sampleIndex)
                    }
                    let keys = Self.range(.keyRange, zone, instrumentGlobal)
                    let velocities = Self.range(.velRange, zone, instrumentGlobal)
                    let keyLow = max(keys.lowerBound, presetKeys.lowerBound), keyHigh = min(keys.upperBound, presetKeys.upperBound)
                    let velocityLow = max(velocities.lowerBound, presetVelocities.lowerBound)
                    let velocityHigh = min(velocities.upperBound, presetVelocities.upperBound)
                    guard keyLow <= keyHigh, velocityLow <= velocityHigh else { continue }

                    let generatorOffset = generatorList.count
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
                        generatorList.append(value)
                    }

                    var merged = Self.merge(instrumentGlobal?.modulators ?? [], over: defaultModulators, replacing: true)
                    merged = Self.merge(zone.modulators, over: merged, replacing: true)
                    // Preset-level modulators add to identical instrument-level ones (9.5: additive).
                    for modulator in presetLocalModulators {
                        if let i = merged.firstIndex(where: { $0.isIdentical(to: modulator) }) {
                            merged[i].amount += modulator.amount
                        } else {
                            merged.append(modulator)
                        }
                    }
                    if silenceVelocityToFilter { merged.removeAll { $0.isDefaultVelocityToFilter } }
                    regionList.append(Region(
                        keyLow: keyLow, keyHigh: keyHigh, velocityLow: velocityLow, velocityHigh: velocityHigh,
                        sampleIndex: sampleIndex, generatorOffset: generatorOffset,
                        modulatorOffset: modulatorList.count, modulatorCount: merged.count))
                    modulatorList.append(contentsOf: merged)
                }
            }
            counts.append(regionList.count - starts[starts.count - 1])
        }

        regionCount = regionList.count
        regions = .allocate(capacity: max(regionCount, 1))
        regions.initialize(from: regionList, count: regionCount)
        generators = .allocate(capacity: max(generatorList.count, 1))
        generators.initialize(from: generatorList, count: generatorList.count)
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
    static func merge(_ list: [Modulator], over base: [CompiledModulator], replacing: Bool) -> [CompiledModulator] {
        var result = base
        for modulator in list {
            guard modulator.destination & 0x8000 == 0, Int(modulator.destination) < GeneratorType.count,
                  modulator.source & 0xFF != 127, modulator.amountSource & 0xFF != 127 else { continue }
            let compiled = CompiledModulator(
                source: modulator.source, amountSource: modulator.amountSource,
                destination: Int(modulator.destination), amount: Float(modulator.amount),
                absoluteValue: modulator.transform == 2)
            if let i = result.firstIndex(where: { $0.isIdentical(to: compiled) }) {
                result[i] = compiled
            } else {
                result.append(compiled)
            }
        }
        return result
    }
}
