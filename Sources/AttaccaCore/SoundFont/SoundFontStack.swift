/// Several SoundFonts played as one, as FluidSynth's font stack: the font loaded last is on top,
/// and a bank/program is taken from the topmost font that has it ("first found wins").
///
/// `merged()` builds one `SoundFont` whose presets list the top font's first, with every
/// instrument, sample and sample point re-indexed into one pool, so the synthesizer's region
/// table and its render path stay exactly those of a single font (no lookups across fonts
/// while rendering, nothing allocated there).
public struct SoundFontStack {
    /// One font and the bank offset added to its presets' banks (FluidSynth's
    /// `fluid_synth_set_bank_offset`).
    public struct Layer {
        public var soundFont: SoundFont
        public var bankOffset: Int

        public init(soundFont: SoundFont, bankOffset: Int = 0) {
            self.soundFont = soundFont
            self.bankOffset = bankOffset
        }
    }

    /// In load order: the last layer is the top of the stack.
    public var layers: [Layer]

    public init(layers: [Layer]) { self.layers = layers }

    /// The stack as one SoundFont. A single layer without offset is returned as it is (no copy).
    /// Throws when the merged font would need instrument or sample indices beyond the 16-bit
    /// generator range.
    public func merged() throws(SoundFontStackError) -> SoundFont {
        if layers.count == 1, layers[0].bankOffset == 0 { return layers[0].soundFont }
        let top = layers.reversed()
        let instrumentTotal = layers.reduce(0) { $0 + $1.soundFont.instruments.count }
        let sampleTotal = layers.reduce(0) { $0 + $1.soundFont.samples.count }
        guard instrumentTotal <= Int(Int16.max), sampleTotal <= Int(Int16.max) else {
            throw .tooLarge(instruments: instrumentTotal, samples: sampleTotal)
        }
        let pointTotal = layers.reduce(0) { $0 + $1.soundFont.sampleData.count }
        let has24 = layers.contains { $0.soundFont.sampleData24 != nil }

        var presets: [Preset] = [], instruments: [Instrument] = [], samples: [SampleHeader] = []
        let points = UnsafeMutableBufferPointer<Int16>.allocate(capacity: max(pointTotal, 1))
        let low: UnsafeMutableBufferPointer<UInt8>? = has24 ? .allocate(capacity: max(pointTotal, 1)) : nil
        var pointOffset = 0
        for layer in top {
            let font = layer.soundFont
            let instrumentBase = instruments.count, sampleBase = samples.count
            for var preset in font.presets {
                preset.bank += layer.bankOffset
                preset.zones = preset.zones.map { Self.shifted($0, .instrument, by: instrumentBase) }
                presets.append(preset)
            }
            for var instrument in font.instruments {
                instrument.zones = instrument.zones.map { Self.shifted($0, .sampleID, by: sampleBase) }
                instruments.append(instrument)
            }
            for var sample in font.samples {
                sample.start += pointOffset
                sample.end += pointOffset
                sample.loopStart += pointOffset
                sample.loopEnd += pointOffset
                sample.sampleLink += sampleBase
                samples.append(sample)
            }
            let count = font.sampleData.count
            if count > 0 {
                UnsafeMutableRawPointer(points.baseAddress! + pointOffset)
                    .copyMemory(from: font.sampleData.baseAddress!, byteCount: 2 * count)
                if let low {
                    if let source = font.sampleData24, source.count >= count {
                        UnsafeMutableRawPointer(low.baseAddress! + pointOffset).copyMemory(from: source.baseAddress!, byteCount: count)
                    } else {
                        (low.baseAddress! + pointOffset).initialize(repeating: 0, count: count)
                    }
                }
            }
            pointOffset += count
        }
        var info = layers[layers.count - 1].soundFont.info
        info.name = top.map { $0.soundFont.info.name }.joined(separator: " + ")
        return SoundFont(info: info, presets: presets, instruments: instruments, samples: samples,
                         sampleData: UnsafeBufferPointer(rebasing: points[0..<pointTotal]),
                         sampleData24: low.map { UnsafeBufferPointer(rebasing: $0[0..<pointTotal]) },
                         storage: .allocated(UnsafeMutableRawPointer(points.baseAddress!), low.map { UnsafeMutableRawPointer($0.baseAddress!) }))
    }

    /// `zone` with its index generator `type` (if set) moved by `offset`.
    static func shifted(_ zone: Zone, _ type: GeneratorType, by offset: Int) -> Zone {
        guard offset != 0, zone.generators.isSet(type) else { return zone }
        var zone = zone
        zone.generators[type] = Int16(truncatingIfNeeded: Int(UInt16(bitPattern: zone.generators[type])) + offset)
        return zone
    }
}
