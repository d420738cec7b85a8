import AttaccaCore

/// Builds SF2 bytes record by record, without the writer's normalisation: generator lists are
/// written in the order given, so tests can feed the reader out-of-order, duplicate or
/// misplaced generators. Independent of `SoundFontWriter` on purpose.
struct RawSoundFontBuilder {
    struct RawZone {
        var generators: [(UInt16, Int16)]
        var modulators: [Modulator] = []
    }

    struct RawHeader {
        var name: String
        var bank: UInt16 = 0
        var program: UInt16 = 0
        var zones: [RawZone]
    }

    var version: (UInt16, UInt16) = (2, 1)
    var presets: [RawHeader] = []
    var instruments: [RawHeader] = []
    /// One 100-point sample with 46 zero points after it, unless replaced.
    var sampleData: [Int16] = (0..<100).map { Int16($0 * 100) } + Array(repeating: 0, count: 46)
    var samples: [SampleHeader] = [
        SampleHeader(name: "S", start: 0, end: 100, loopStart: 10, loopEnd: 90, sampleRate: 44100,
                     originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1),
    ]

    private static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private static func u32(_ v: UInt32) -> [UInt8] { u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) }
    private static func name(_ s: String) -> [UInt8] {
        let utf8 = Array(s.utf8.prefix(20))
        return utf8 + Array(repeating: 0, count: 20 - utf8.count)
    }
    private static func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] {
        Array(id.utf8) + u32(UInt32(body.count)) + body + (body.count % 2 == 1 ? [0] : [])
    }

    /// Bag, modulator and generator chunks of one level, with terminal records.
    private static func tables(_ headers: [RawHeader]) -> (bags: [UInt8], mods: [UInt8], gens: [UInt8], bagStarts: [UInt16]) {
        var bags: [UInt8] = [], mods: [UInt8] = [], gens: [UInt8] = []
        var bagStarts: [UInt16] = []
        var bagCount: UInt16 = 0, modCount: UInt16 = 0, genCount: UInt16 = 0
        for header in headers {
            bagStarts.append(bagCount)
            for zone in header.zones {
                bags += u16(genCount) + u16(modCount)
                bagCount += 1
                for (op, amount) in zone.generators {
                    gens += u16(op) + u16(UInt16(bitPattern: amount))
                    genCount += 1
                }
                for m in zone.modulators {
                    mods += u16(m.source) + u16(m.destination) + u16(UInt16(bitPattern: m.amount)) + u16(m.amountSource) + u16(m.transform)
                    modCount += 1
                }
            }
        }
        bagStarts.append(bagCount)
        bags += u16(genCount) + u16(modCount)
        mods += Array(repeating: 0, count: 10)
        gens += Array(repeating: 0, count: 4)
        return (bags, mods, gens, bagStarts)
    }

    func bytes() -> [UInt8] {
        let info = Self.chunk("ifil", Self.u16(version.0) + Self.u16(version.1))
            + Self.chunk("isng", Array("EMU8000\0".utf8)) + Self.chunk("INAM", Array("Raw\0".utf8))
        var smpl: [UInt8] = []
        for point in sampleData { smpl += Self.u16(UInt16(bitPattern: point)) }

        let p = Self.tables(presets), i = Self.tables(instruments)
        var phdr: [UInt8] = []
        for (index, preset) in presets.enumerated() {
            phdr += Self.name(preset.name) + Self.u16(preset.program) + Self.u16(preset.bank) + Self.u16(p.bagStarts[index])
                + Array(repeating: 0, count: 12)
        }
        phdr += Self.name("EOP") + Self.u16(0) + Self.u16(0) + Self.u16(p.bagStarts.last!) + Array(repeating: 0, count: 12)
        var inst: [UInt8] = []
        for (index, instrument) in instruments.enumerated() {
            inst += Self.name(instrument.name) + Self.u16(i.bagStarts[index])
        }
        inst += Self.name("EOI") + Self.u16(i.bagStarts.last!)
        var shdr: [UInt8] = []
        for s in samples {
            shdr += Self.name(s.name) + Self.u32(UInt32(s.start)) + Self.u32(UInt32(s.end)) + Self.u32(UInt32(s.loopStart))
                + Self.u32(UInt32(s.loopEnd)) + Self.u32(UInt32(s.sampleRate)) + [UInt8(s.originalPitch), UInt8(bitPattern: Int8(s.pitchCorrection))]
                + Self.u16(UInt16(s.sampleLink)) + Self.u16(UInt16(s.sampleType))
        }
        shdr += Self.name("EOS") + Array(repeating: 0, count: 26)

        let pdta = Self.chunk("phdr", phdr) + Self.chunk("pbag", p.bags) + Self.chunk("pmod", p.mods) + Self.chunk("pgen", p.gens)
            + Self.chunk("inst", inst) + Self.chunk("ibag", i.bags) + Self.chunk("imod", i.mods) + Self.chunk("igen", i.gens)
            + Self.chunk("shdr", shdr)
        let body = Array("sfbk".utf8) + Self.chunk("LIST", Array("INFO".utf8) + info)
            + Self.chunk("LIST", Array("sdta".utf8) + Self.chunk("smpl", smpl))
            + Self.chunk("LIST", Array("pdta".utf8) + pdta)
        return Self.chunk("RIFF", body)
    }

    static func op(_ type: GeneratorType) -> UInt16 { type.rawValue }
    /// A keyRange / velRange amount: lo in the low byte, hi in the high byte.
    static func range(_ lo: UInt8, _ hi: UInt8) -> Int16 { Int16(bitPattern: UInt16(hi) << 8 | UInt16(lo)) }
}
