import AttaccaCore

/// Serializes a `SoundFont` into an SF2 2.04 file.
///
/// The sample data and the sample headers are written exactly as given: `sampleData` must
/// already hold the 46 zero points the spec requires after each sample (`SampleDataBuilder`
/// appends them). That keeps offsets unchanged, so reading the written file gives back the
/// same model.
///
/// Zones are written global zone first; in each zone keyRange then velRange come first and the
/// terminal generator (instrument or sampleID) last, as SF2 2.04 section 8.1 asks. A file with
/// sm24 data is marked as version 2.04 at least, or readers would ignore the sm24 chunk.
///
/// SF2 indices are 16 bits: a font with more than 65535 zones, generators or modulators in
/// one hydra table cannot be written, and stops with a precondition failure.
public enum SoundFontWriter {
    public static func bytes(for soundFont: SoundFont) -> [UInt8] {
        let (head, tail) = parts(for: soundFont)
        var file = head
        file.reserveCapacity(head.count + 2 * soundFont.sampleData.count + tail.count)
        for point in soundFont.sampleData {
            let bits = UInt16(bitPattern: point)
            file.append(UInt8(truncatingIfNeeded: bits))
            file.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        file.append(contentsOf: tail)
        return file
    }

    /// The file around its smpl points, for writing a large font without copying them: `head`
    /// ends with the smpl chunk's header, then come the points as 16-bit little-endian (on a
    /// little-endian machine, `sampleData`'s memory as it is), then `tail` (sm24, the hydra).
    /// `info` replaces the font's own INFO list when given.
    public static func parts(for soundFont: SoundFont, info: SoundFontInfo? = nil) -> (head: [UInt8], tail: [UInt8]) {
        let infoList = Self.info(info ?? soundFont.info, has24BitData: soundFont.sampleData24 != nil)
        let smplBytes = 2 * soundFont.sampleData.count
        var sm24 = LittleEndianBytes()
        if let low = soundFont.sampleData24 {
            // The declared size counts the pad byte when the point count is odd: FluidSynth
            // only accepts an sm24 chunk whose size is half of smpl's rounded up to even.
            var body = Array(low)
            if body.count % 2 == 1 { body.append(0) }
            sm24.appendChunk("sm24", body)
        }
        var pdta = LittleEndianBytes()
        pdta.appendList("pdta", hydra(soundFont))
        var infoChunk = LittleEndianBytes()
        infoChunk.appendList("INFO", infoList)
        // sdta: LIST size, "sdta", smpl header, points (even: 2 bytes each), sm24.
        let sdtaSize = 4 + 8 + smplBytes + sm24.bytes.count
        let riffSize = 4 + infoChunk.bytes.count + 8 + sdtaSize + pdta.bytes.count
        var head = LittleEndianBytes()
        head.append(fourCC: "RIFF")
        head.append(UInt32(clamping: riffSize))
        head.append(fourCC: "sfbk")
        head.bytes.append(contentsOf: infoChunk.bytes)
        head.append(fourCC: "LIST")
        head.append(UInt32(clamping: sdtaSize))
        head.append(fourCC: "sdta")
        head.append(fourCC: "smpl")
        head.append(UInt32(clamping: smplBytes))
        return (head.bytes, sm24.bytes + pdta.bytes)
    }

    // MARK: INFO

    private static func info(_ info: SoundFontInfo, has24BitData: Bool) -> [UInt8] {
        var chunks = LittleEndianBytes()
        var version = (major: info.versionMajor, minor: info.versionMinor)
        if has24BitData, version.major < 2 || (version.major == 2 && version.minor < 4) {
            version = (2, 4)
        }
        var ifil = LittleEndianBytes()
        ifil.append(UInt16(clamping: version.major))
        ifil.append(UInt16(clamping: version.minor))
        chunks.appendChunk("ifil", ifil.bytes)
        chunks.appendChunk("isng", zeroTerminated(info.soundEngine.isEmpty ? "EMU8000" : info.soundEngine))
        chunks.appendChunk("INAM", zeroTerminated(info.name))
        if let rom = info.romName { chunks.appendChunk("irom", zeroTerminated(rom)) }
        if let major = info.romVersionMajor, let minor = info.romVersionMinor {
            var iver = LittleEndianBytes()
            iver.append(UInt16(clamping: major))
            iver.append(UInt16(clamping: minor))
            chunks.appendChunk("iver", iver.bytes)
        }
        let optional: [(String, String?, Int)] = [
            ("ICRD", info.creationDate, 256), ("IENG", info.engineers, 256), ("IPRD", info.product, 256),
            ("ICOP", info.copyright, 256), ("ICMT", info.comment, 65536), ("ISFT", info.software, 256),
        ]
        for (id, value, limit) in optional {
            if let value { chunks.appendChunk(id, zeroTerminated(value, limit: limit)) }
        }
        return chunks.bytes
    }

    /// A zero-terminated string padded with zeros to an even length, at most `limit` bytes in all.
    private static func zeroTerminated(_ string: String, limit: Int = 256) -> [UInt8] {
        var bytes = LittleEndianBytes.truncatedUTF8(string, maximumBytes: limit - 1)
        bytes.append(0)
        if bytes.count % 2 == 1 { bytes.append(0) }
        return bytes
    }

    // MARK: pdta

    /// Flattened zone tables of one level (preset or instrument): bags, modulators, generators.
    private struct ZoneTables {
        var bags = LittleEndianBytes()
        var modulators = LittleEndianBytes()
        var generators = LittleEndianBytes()
        var bagCount = 0
        var modulatorCount = 0
        var generatorCount = 0

        /// Appends one zone; `terminal` is the generator that must come last (nil for a global zone).
        mutating func append(_ zone: Zone, terminal: GeneratorType?, excluded: GeneratorType) {
            bags.append(index(generatorCount, "generators"))
            bags.append(index(modulatorCount, "modulators"))
            bagCount += 1
            let set = zone.generators
            var order: [GeneratorType] = [.keyRange, .velRange]
            for type in GeneratorType.allCases where type != .keyRange && type != .velRange
                && type != .instrument && type != .sampleID {
                order.append(type)
            }
            if let terminal { order.append(terminal) }
            for type in order where set.isSet(type) && type != excluded {
                generators.append(type.rawValue)
                generators.append(set[type])
                generatorCount += 1
            }
            for modulator in zone.modulators {
                modulators.append(modulator.source)
                modulators.append(modulator.destination)
                modulators.append(modulator.amount)
                modulators.append(modulator.amountSource)
                modulators.append(modulator.transform)
                modulatorCount += 1
            }
        }

        /// Terminal records: a bag pointing past the last generator and modulator, zero records.
        mutating func terminate() {
            bags.append(index(generatorCount, "generators"))
            bags.append(index(modulatorCount, "modulators"))
            modulators.bytes.append(contentsOf: repeatElement(0, count: 10))
            generators.bytes.append(contentsOf: repeatElement(0, count: 4))
        }

        func index(_ value: Int, _ what: String) -> UInt16 {
            precondition(value <= Int(UInt16.max), "SoundFontWriter: too many \(what) for 16-bit SF2 indices")
            return UInt16(value)
        }
    }

    private static func hydra(_ soundFont: SoundFont) -> [UInt8] {
        var phdr = LittleEndianBytes()
        var presetZones = ZoneTables()
        for preset in soundFont.presets {
            phdr.append(name: preset.name)
            phdr.append(UInt16(clamping: preset.program))
            phdr.append(UInt16(clamping: preset.bank))
            phdr.append(presetZones.index(presetZones.bagCount, "preset zones"))
            phdr.append(UInt32(0))  // library
            phdr.append(UInt32(0))  // genre
            phdr.append(UInt32(0))  // morphology
            if let global = preset.globalZone {
                presetZones.append(global, terminal: nil, excluded: .instrument)
            }
            for zone in preset.zones {
                presetZones.append(zone, terminal: .instrument, excluded: .sampleID)
            }
        }
        phdr.append(name: "EOP")
        phdr.append(UInt16(0))
        phdr.append(UInt16(0))
        phdr.append(presetZones.index(presetZones.bagCount, "preset zones"))
        phdr.bytes.append(contentsOf: repeatElement(0, count: 12))
        presetZones.terminate()

        var inst = LittleEndianBytes()
        var instrumentZones = ZoneTables()
        for instrument in soundFont.instruments {
            inst.append(name: instrument.name)
            inst.append(instrumentZones.index(instrumentZones.bagCount, "instrument zones"))
            if let global = instrument.globalZone {
                instrumentZones.append(global, terminal: nil, excluded: .sampleID)
            }
            for zone in instrument.zones {
                instrumentZones.append(zone, terminal: .sampleID, excluded: .instrument)
            }
        }
        inst.append(name: "EOI")
        inst.append(instrumentZones.index(instrumentZones.bagCount, "instrument zones"))
        instrumentZones.terminate()

        var shdr = LittleEndianBytes()
        for sample in soundFont.samples {
            shdr.append(name: sample.name)
            shdr.append(UInt32(clamping: sample.start))
            shdr.append(UInt32(clamping: sample.end))
            shdr.append(UInt32(clamping: sample.loopStart))
            shdr.append(UInt32(clamping: sample.loopEnd))
            shdr.append(UInt32(clamping: sample.sampleRate))
            shdr.append(UInt8(clamping: sample.originalPitch))
            shdr.append(Int8(clamping: sample.pitchCorrection))
            shdr.append(UInt16(clamping: sample.sampleLink))
            shdr.append(UInt16(truncatingIfNeeded: sample.sampleType))
        }
        shdr.append(name: "EOS")
        shdr.bytes.append(contentsOf: repeatElement(0, count: 26))

        var pdta = LittleEndianBytes()
        pdta.appendChunk("phdr", phdr.bytes)
        pdta.appendChunk("pbag", presetZones.bags.bytes)
        pdta.appendChunk("pmod", presetZones.modulators.bytes)
        pdta.appendChunk("pgen", presetZones.generators.bytes)
        pdta.appendChunk("inst", inst.bytes)
        pdta.appendChunk("ibag", instrumentZones.bags.bytes)
        pdta.appendChunk("imod", instrumentZones.modulators.bytes)
        pdta.appendChunk("igen", instrumentZones.generators.bytes)
        pdta.appendChunk("shdr", shdr.bytes)
        return pdta.bytes
    }
}
