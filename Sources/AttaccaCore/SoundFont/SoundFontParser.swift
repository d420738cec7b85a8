/// Reads an SF2 file held in memory (mapped or copied) into the model types.
///
/// The sample data is never touched: the result says where smpl and sm24 lie, so the caller can
/// use them in place. Every value read from the file is range-checked before it is used as an
/// offset or index; offsets are `Int` (64-bit) sums of 32-bit fields, so they cannot overflow.
struct SoundFontParser {
    struct Result {
        var info: SoundFontInfo
        var presets: [Preset]
        var instruments: [Instrument]
        var samples: [SampleHeader]
        /// Bytes of the smpl points inside the file (an even count).
        var sampleBytes: Range<Int>
        /// Bytes of the sm24 data, one per sample point, when the file has a usable sm24 chunk.
        var sample24Bytes: Range<Int>?
    }

    /// A chunk cut short by the end of its parent, reported if nothing deeper is at fault.
    private struct Truncation {
        var id: String
        var declared: Int
        var available: Int
        var error: SoundFontError { .truncatedChunk(id: id, declaredSize: declared, availableSize: available) }
    }

    /// Which hydra level zones are read for: the generator that ends a zone, and the generators
    /// allowed there (SF2 2.04 section 8.1.2; the same sets FluidSynth applies).
    private enum Level {
        case preset, instrument

        var terminal: GeneratorType { self == .preset ? .instrument : .sampleID }

        /// Bit n set when generator n may appear at this level (keyRange, velRange and the
        /// terminal generator are handled before the mask is consulted).
        var validGenerators: UInt64 {
            let neverValid: [GeneratorType] = [.unused1, .unused2, .unused3, .unused4, .reserved1, .reserved2,
                                               .reserved3, .unused5, .endOper, .instrument, .sampleID]
            var mask: UInt64 = (1 << UInt64(GeneratorType.count)) - 1
            for type in neverValid { mask &= ~(1 << UInt64(type.rawValue)) }
            if self == .preset {
                let instrumentOnly: [GeneratorType] = [
                    .startAddrsOffset, .endAddrsOffset, .startloopAddrsOffset, .endloopAddrsOffset,
                    .startAddrsCoarseOffset, .endAddrsCoarseOffset, .startloopAddrsCoarseOffset,
                    .endloopAddrsCoarseOffset, .keynum, .velocity, .sampleModes, .exclusiveClass, .overridingRootKey,
                ]
                for type in instrumentOnly { mask &= ~(1 << UInt64(type.rawValue)) }
            }
            return mask
        }
    }

    /// The zone tables of one level: bag, modulator and generator chunks.
    private struct ZoneTables {
        var bags: RIFFChunk
        var bagName: String
        var modulators: RIFFChunk
        var generators: RIFFChunk
        var bagCount: Int { bags.body.count / 4 }
        var modulatorCount: Int { modulators.body.count / 10 }
        var generatorCount: Int { generators.body.count / 4 }
    }

    let bytes: UnsafeRawBufferPointer

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(SoundFontError) -> Result {
        try SoundFontParser(bytes: bytes).parse()
    }

    // MARK: Reading values

    private func u8(_ offset: Int) -> UInt8 { bytes[offset] }

    private func u16(_ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    private func u32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// A string of at most `limit` bytes ending at the first NUL; invalid UTF-8 is replaced.
    private func string(_ range: Range<Int>, limit: Int) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + limit)])
        let end = slice.firstIndex(of: 0) ?? slice.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: slice[0..<end]), as: UTF8.self)
    }

    /// A fixed 20-byte name field.
    private func name(at offset: Int) -> String { string(offset..<offset + 20, limit: 20) }

    // MARK: RIFF structure

    private func parse() throws(SoundFontError) -> Result {
        let count = bytes.count
        guard count > 0 else { throw .emptyFile }
        let magic: [UInt8] = [0x52, 0x49, 0x46, 0x46]  // "RIFF"
        for index in 0..<min(4, count) where bytes[index] != magic[index] { throw .notRIFF }
        guard count >= 12 else {
            throw .truncatedChunk(id: "RIFF", declaredSize: count >= 8 ? Int(u32(4)) : 4, availableSize: max(count - 8, 0))
        }
        let form = u32(8)
        guard form == RIFFChunk.sfbk else { throw .notSoundFont(formType: RIFFChunk.name(form)) }
        let declared = Int(u32(4))
        let riffTruncation = 8 + declared > count ? Truncation(id: "RIFF", declared: declared, available: count - 8) : nil
        let end = min(8 + declared, count)

        var lists: [UInt32: [RIFFChunk]] = [:]
        var offset = 12
        while end - offset >= 8 {
            let id = u32(offset), size = Int(u32(offset + 4))
            let bodyStart = offset + 8, available = end - bodyStart
            let truncation = size > available ? Truncation(id: RIFFChunk.name(id), declared: size, available: available) : nil
            if id == RIFFChunk.list {
                guard min(size, available) >= 4 else {
                    throw .truncatedChunk(id: "LIST", declaredSize: max(size, 4), availableSize: min(size, available))
                }
                let type = u32(bodyStart)
                let listTruncation = truncation.map { Truncation(id: RIFFChunk.name(type), declared: $0.declared - 4, available: $0.available - 4) }
                let children = try walk(bodyStart + 4..<bodyStart + min(size, available), owner: listTruncation)
                if lists[type] == nil { lists[type] = children }
            } else if let truncation {
                throw truncation.error
            }
            // MuseScore's SF3 writer leaves out the pad byte after an odd-sized sdta list
            // (FluidR3Mono_GM.sf3): when the next LIST starts right at the end, there is no pad.
            let unpadded = bodyStart + size
            let padless = size & 1 == 1 && end - unpadded >= 4 && u32(unpadded) == RIFFChunk.list
            offset = unpadded + (padless ? 0 : size & 1)
        }
        if let riffTruncation { throw riffTruncation.error }

        guard let infoChunks = lists[RIFFChunk.info] else { throw .missingChunk(id: "INFO") }
        guard let sdtaChunks = lists[RIFFChunk.sdta] else { throw .missingChunk(id: "sdta") }
        guard let pdtaChunks = lists[RIFFChunk.pdta] else { throw .missingChunk(id: "pdta") }
        let info = try readInfo(infoChunks)
        return try readBody(info: info, sdta: sdtaChunks, pdta: pdtaChunks)
    }

    /// The chunks inside `range`. A chunk that overruns `range` is truncated; if `owner` (the
    /// enclosing chunk) was itself cut short and no chunk inside is, the owner is reported.
    private func walk(_ range: Range<Int>, owner: Truncation?) throws(SoundFontError) -> [RIFFChunk] {
        var chunks: [RIFFChunk] = []
        var offset = range.lowerBound
        while range.upperBound - offset >= 8 {
            let id = u32(offset), size = Int(u32(offset + 4))
            let bodyStart = offset + 8, available = range.upperBound - bodyStart
            guard size <= available else {
                throw .truncatedChunk(id: RIFFChunk.name(id), declaredSize: size, availableSize: available)
            }
            chunks.append(RIFFChunk(id: id, body: bodyStart..<bodyStart + size))
            offset = bodyStart + size + (size & 1)
        }
        if let owner { throw owner.error }
        return chunks
    }

    // MARK: INFO

    private func readInfo(_ chunks: [RIFFChunk]) throws(SoundFontError) -> SoundFontInfo {
        var info = SoundFontInfo()
        var hasVersion = false
        for chunk in chunks {
            let body = chunk.body
            switch chunk.id {
            case RIFFChunk.ifil:
                guard body.count == 4 else { throw .invalidChunkSize(id: "ifil", size: body.count, expected: 4) }
                if hasVersion { continue }
                hasVersion = true
                info.versionMajor = Int(u16(body.lowerBound))
                info.versionMinor = Int(u16(body.lowerBound + 2))
            case RIFFChunk.iver:
                guard body.count == 4 else { continue }  // optional: a malformed one is ignored
                info.romVersionMajor = Int(u16(body.lowerBound))
                info.romVersionMinor = Int(u16(body.lowerBound + 2))
            case RIFFChunk.isng: info.soundEngine = string(body, limit: 256)
            case RIFFChunk.inam: info.name = string(body, limit: 256)
            case RIFFChunk.irom: info.romName = string(body, limit: 256)
            case RIFFChunk.icrd: info.creationDate = string(body, limit: 256)
            case RIFFChunk.ieng: info.engineers = string(body, limit: 256)
            case RIFFChunk.iprd: info.product = string(body, limit: 256)
            case RIFFChunk.icop: info.copyright = string(body, limit: 256)
            case RIFFChunk.icmt: info.comment = string(body, limit: 65536)
            case RIFFChunk.isft: info.software = string(body, limit: 256)
            default: continue  // SF2 2.04 section 10.2: unknown INFO chunks are ignored
            }
        }
        guard hasVersion else { throw .missingChunk(id: "ifil") }
        // 3: SF3, whose Ogg Vorbis samples SoundFont.decompressed(with:) decodes after the parse.
        guard info.versionMajor == 2 || info.versionMajor == 3 else { throw .unsupportedVersion(major: info.versionMajor, minor: info.versionMinor) }
        return info
    }

    // MARK: sdta and pdta

    private func readBody(info: SoundFontInfo, sdta: [RIFFChunk], pdta: [RIFFChunk]) throws(SoundFontError) -> Result {
        let smpl = sdta.first { $0.id == RIFFChunk.smpl }
        let sampleCount = (smpl?.body.count ?? 0) / 2
        let sampleStart = smpl?.body.lowerBound ?? 0
        var sample24Bytes: Range<Int>?
        // sm24 counts only in 2.04 and later, and only with one byte per point (FluidSynth also
        // accepts the size rounded up to even, i.e. with the pad byte counted).
        if info.versionMinor >= 4, let sm24 = sdta.first(where: { $0.id == RIFFChunk.sm24 }),
           sm24.body.count == sampleCount || sm24.body.count == sampleCount + sampleCount % 2 {
            sample24Bytes = sm24.body.lowerBound..<sm24.body.lowerBound + sampleCount
        }

        func table(_ id: UInt32, recordSize: Int) throws(SoundFontError) -> RIFFChunk {
            guard let chunk = pdta.first(where: { $0.id == id }) else { throw .missingChunk(id: RIFFChunk.name(id)) }
            guard chunk.body.count % recordSize == 0 else {
                throw .chunkSizeNotMultiple(id: RIFFChunk.name(id), size: chunk.body.count, recordSize: recordSize)
            }
            return chunk
        }
        let phdr = try table(RIFFChunk.phdr, recordSize: 38)
        let presetTables = ZoneTables(bags: try table(RIFFChunk.pbag, recordSize: 4), bagName: "pbag",
                                      modulators: try table(RIFFChunk.pmod, recordSize: 10),
                                      generators: try table(RIFFChunk.pgen, recordSize: 4))
        let inst = try table(RIFFChunk.inst, recordSize: 22)
        let instrumentTables = ZoneTables(bags: try table(RIFFChunk.ibag, recordSize: 4), bagName: "ibag",
                                          modulators: try table(RIFFChunk.imod, recordSize: 10),
                                          generators: try table(RIFFChunk.igen, recordSize: 4))
        let shdr = try table(RIFFChunk.shdr, recordSize: 46)

        let samples = try readSamples(shdr, sampleCount: sampleCount, hasSampleChunk: smpl != nil,
                                      isSF3: info.versionMajor == 3)
        let instruments = try readInstruments(inst, tables: instrumentTables, sampleCount: samples.count)
        let presets = try readPresets(phdr, tables: presetTables, instrumentCount: instruments.count)
        return Result(info: info, presets: presets, instruments: instruments, samples: samples,
                      sampleBytes: sampleStart..<sampleStart + 2 * sampleCount, sample24Bytes: sample24Bytes)
    }

    private func readSamples(_ shdr: RIFFChunk, sampleCount: Int, hasSampleChunk: Bool,
                             isSF3: Bool = false) throws(SoundFontError) -> [SampleHeader] {
        let records = shdr.body.count / 46
        guard records > 0 else { throw .missingTerminalRecord(chunk: "shdr") }
        var samples: [SampleHeader] = []
        samples.reserveCapacity(records - 1)
        for index in 0..<records - 1 {
            let base = shdr.body.lowerBound + 46 * index
            let sampleName = name(at: base)
            var start = Int(u32(base + 20)), end = Int(u32(base + 24))
            var loopStart = Int(u32(base + 28)), loopEnd = Int(u32(base + 32))
            let sampleType = Int(u16(base + 44))
            if isSF3 && sampleType & SoundFont.compressedSampleType != 0 && sampleType & 0x8000 == 0 {
                // SF3: start and end are byte offsets of an Ogg Vorbis stream in smpl, loop points
                // count from the decoded sample's start; kept as they are for decompressed(with:).
                guard hasSampleChunk else { throw .missingChunk(id: "smpl") }
                samples.append(SampleHeader(
                    name: sampleName, start: start, end: end, loopStart: loopStart, loopEnd: loopEnd,
                    sampleRate: Int(u32(base + 36)), originalPitch: Int(u8(base + 40)),
                    pitchCorrection: Int(Int8(bitPattern: u8(base + 41))), sampleLink: Int(u16(base + 42)),
                    sampleType: sampleType))
                continue
            }
            if sampleType & 0x8000 != 0 {
                // A ROM sample has no data in this file: keep its header, pinned inside smpl so
                // that every header's offsets stay valid indices.
                start = min(start, sampleCount)
                end = min(max(end, start), sampleCount)
            } else {
                guard hasSampleChunk else { throw .missingChunk(id: "smpl") }
                guard start <= end, end <= sampleCount else {
                    throw .sampleOutOfRange(sample: sampleName, start: start, end: end, sampleDataCount: sampleCount)
                }
            }
            // Loop points are repaired, not rejected, as FluidSynth does (fluid_sample_sanitize_loop):
            // reversed points are swapped, points before the start or past the data are reset.
            if loopStart > loopEnd { swap(&loopStart, &loopEnd) }
            if loopStart < start || loopStart > sampleCount { loopStart = start }
            if loopEnd < start || loopEnd > sampleCount { loopEnd = end }
            samples.append(SampleHeader(
                name: sampleName, start: start, end: end, loopStart: loopStart, loopEnd: loopEnd,
                sampleRate: Int(u32(base + 36)), originalPitch: Int(u8(base + 40)),
                pitchCorrection: Int(Int8(bitPattern: u8(base + 41))), sampleLink: Int(u16(base + 42)),
                sampleType: sampleType))
        }
        return samples
    }

    private func readInstruments(_ inst: RIFFChunk, tables: ZoneTables, sampleCount: Int) throws(SoundFontError) -> [Instrument] {
        let records = inst.body.count / 22
        guard records > 0 else { throw .missingTerminalRecord(chunk: "inst") }
        guard tables.bagCount > 0 else { throw .missingTerminalRecord(chunk: tables.bagName) }
        var instruments: [Instrument] = []
        instruments.reserveCapacity(records - 1)
        for index in 0..<records - 1 {
            let base = inst.body.lowerBound + 22 * index
            let instrumentName = name(at: base)
            let bags = try bagRange(header: "inst", record: index + 1, start: Int(u16(base + 20)),
                                    end: Int(u16(base + 22 + 20)), tables: tables)
            let (global, zones) = try readZones(bags, tables: tables, level: .instrument, owner: instrumentName, targetCount: sampleCount)
            instruments.append(Instrument(name: instrumentName, globalZone: global, zones: zones))
        }
        try checkTerminalBag(header: "inst", record: records - 1, lastBag: Int(u16(inst.body.lowerBound + 22 * (records - 1) + 20)), tables: tables)
        return instruments
    }

    private func readPresets(_ phdr: RIFFChunk, tables: ZoneTables, instrumentCount: Int) throws(SoundFontError) -> [Preset] {
        let records = phdr.body.count / 38
        guard records > 0 else { throw .missingTerminalRecord(chunk: "phdr") }
        guard tables.bagCount > 0 else { throw .missingTerminalRecord(chunk: tables.bagName) }
        var presets: [Preset] = []
        presets.reserveCapacity(records - 1)
        for index in 0..<records - 1 {
            let base = phdr.body.lowerBound + 38 * index
            let presetName = name(at: base)
            let bags = try bagRange(header: "phdr", record: index + 1, start: Int(u16(base + 24)),
                                    end: Int(u16(base + 38 + 24)), tables: tables)
            let (global, zones) = try readZones(bags, tables: tables, level: .preset, owner: presetName, targetCount: instrumentCount)
            presets.append(Preset(name: presetName, bank: Int(u16(base + 22)), program: Int(u16(base + 20)),
                                  globalZone: global, zones: zones))
        }
        try checkTerminalBag(header: "phdr", record: records - 1, lastBag: Int(u16(phdr.body.lowerBound + 38 * (records - 1) + 24)), tables: tables)
        return presets
    }

    /// The bags of one preset or instrument: from its record's index to the next record's. The
    /// bag at `end` must exist too, as it closes the last zone's generator list.
    private func bagRange(header: String, record: Int, start: Int, end: Int, tables: ZoneTables) throws(SoundFontError) -> Range<Int> {
        guard end >= start else { throw .indexOutOfOrder(chunk: header, record: record, index: end, previous: start) }
        guard end < tables.bagCount else {
            if end == tables.bagCount { throw .missingTerminalRecord(chunk: tables.bagName) }
            throw .indexOutOfRange(chunk: header, record: record, index: end, count: tables.bagCount)
        }
        return start..<end
    }

    /// The terminal header (EOP/EOI) must point at the last bag, the terminal one; when it points
    /// earlier, the header chunk lost its terminal record and a real header took its place.
    private func checkTerminalBag(header: String, record: Int, lastBag: Int, tables: ZoneTables) throws(SoundFontError) {
        if lastBag >= tables.bagCount {
            throw lastBag == tables.bagCount ? .missingTerminalRecord(chunk: tables.bagName)
                : .indexOutOfRange(chunk: header, record: record, index: lastBag, count: tables.bagCount)
        }
        if lastBag < tables.bagCount - 1 { throw .missingTerminalRecord(chunk: header) }
    }

    // MARK: Zones

    /// Reads the zones of one preset or instrument, applying the generator rules of SF2 2.04
    /// section 8.1.2 / 9.4: keyRange only first, velRange only after keyRange, nothing after the
    /// terminal generator, generators of the wrong level or unknown ignored, the last duplicate
    /// wins. A zone without the terminal generator is the global zone when first, else dropped.
    private func readZones(_ bags: Range<Int>, tables: ZoneTables, level: Level, owner: String,
                           targetCount: Int) throws(SoundFontError) -> (Zone?, [Zone]) {
        let valid = level.validGenerators
        let terminal = level.terminal
        var global: Zone?
        var zones: [Zone] = []
        zones.reserveCapacity(bags.count)
        for bag in bags {
            let record = tables.bags.body.lowerBound + 4 * bag
            let generatorStart = Int(u16(record)), modulatorStart = Int(u16(record + 2))
            let generatorEnd = Int(u16(record + 4)), modulatorEnd = Int(u16(record + 6))
            guard generatorEnd >= generatorStart else {
                throw .indexOutOfOrder(chunk: tables.bagName, record: bag + 1, index: generatorEnd, previous: generatorStart)
            }
            guard generatorEnd <= tables.generatorCount else {
                throw .indexOutOfRange(chunk: tables.bagName, record: bag + 1, index: generatorEnd, count: tables.generatorCount)
            }
            guard modulatorEnd >= modulatorStart else {
                throw .indexOutOfOrder(chunk: tables.bagName, record: bag + 1, index: modulatorEnd, previous: modulatorStart)
            }
            guard modulatorEnd <= tables.modulatorCount else {
                throw .indexOutOfRange(chunk: tables.bagName, record: bag + 1, index: modulatorEnd, count: tables.modulatorCount)
            }

            var generators = GeneratorSet()
            var stage = 0  // 0 nothing yet, 1 after keyRange, 2 after any other, 3 after the terminal
            for generator in generatorStart..<generatorEnd where stage < 3 {
                let offset = tables.generators.body.lowerBound + 4 * generator
                let operation = u16(offset)
                let amount = Int16(bitPattern: u16(offset + 2))
                switch operation {
                case GeneratorType.keyRange.rawValue:
                    if stage == 0 { generators[.keyRange] = amount; stage = 1 }
                case GeneratorType.velRange.rawValue:
                    if stage <= 1 { generators[.velRange] = amount; stage = 2 }
                case terminal.rawValue:
                    generators[terminal] = amount
                    stage = 3
                default:
                    stage = 2
                    if operation < 64, valid & (1 << UInt64(operation)) != 0, let type = GeneratorType(rawValue: operation) {
                        generators[type] = amount
                    }
                }
            }

            let modulators = readModulators(modulatorStart..<modulatorEnd, tables: tables)
            let zone = Zone(generators: generators, modulators: modulators)
            if stage == 3 {
                let target = Int(UInt16(bitPattern: generators[terminal]))
                guard target < targetCount else {
                    if level == .preset {
                        throw .instrumentIndexOutOfRange(preset: owner, zone: bag - bags.lowerBound, index: target, count: targetCount)
                    }
                    throw .sampleIndexOutOfRange(instrument: owner, zone: bag - bags.lowerBound, index: target, count: targetCount)
                }
                zones.append(zone)
            } else if bag == bags.lowerBound {
                global = zone
            }
        }
        return (global, zones)
    }

    /// The modulators of one zone. Identical modulators (SF2 2.04 section 9.5.1: same source,
    /// destination, amount source and transform) keep only the last one, as in FluidSynth.
    /// Large lists are deduplicated through a dictionary so a hostile file cannot make this
    /// quadratic.
    private func readModulators(_ range: Range<Int>, tables: ZoneTables) -> [Modulator] {
        var all: [Modulator] = []
        all.reserveCapacity(range.count)
        for index in range {
            let offset = tables.modulators.body.lowerBound + 10 * index
            all.append(Modulator(source: u16(offset), destination: u16(offset + 2), amount: Int16(bitPattern: u16(offset + 4)),
                                 amountSource: u16(offset + 6), transform: u16(offset + 8)))
        }
        if all.count <= 16 {
            var kept: [Modulator] = []
            for modulator in all {
                kept.removeAll { $0.isIdentical(to: modulator) }
                kept.append(modulator)
            }
            return kept
        }
        func key(_ m: Modulator) -> UInt64 {
            UInt64(m.source) | UInt64(m.destination) << 16 | UInt64(m.amountSource) << 32 | UInt64(m.transform) << 48
        }
        var last: [UInt64: Int] = [:]
        for (index, modulator) in all.enumerated() { last[key(modulator)] = index }
        return all.enumerated().filter { last[key($0.element)] == $0.offset }.map(\.element)
    }
}
