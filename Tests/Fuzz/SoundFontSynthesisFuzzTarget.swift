// libFuzzer entry point for the synthesis of what the SoundFont reader loads (issue 17).
// Compiled into the AttaccaCore module by Tests/Fuzz/run. Structure-aware: the input is not an
// SF2 file but the choices that build one (SoundFontRecipe): samples with any points, instruments
// and presets whose zones hold any generators (biased to the extremes) and modulators. A font
// that loads is played: every preset gets a note (bank select, program change, note-on, a
// controller and the pitch wheel, note-off) rendered for a few blocks, and every output sample
// must be finite. Work per input is bounded (at most 8 presets, 640 frames each).

#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func soundFontSynthesisFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var recipe = SoundFontRecipe(UnsafeBufferPointer(start: data, count: size))
    let bytes = recipe.build()
    guard let soundFont = try? SoundFont(bytes: bytes) else { return 0 }
    var settings = SynthesizerSettings()
    settings.sampleRate = [44100, 8000, 192_000, 22050][Int(recipe.byte() & 3)]
    settings.polyphony = 1 + Int(recipe.byte() & 31)
    settings.interpolation = recipe.byte() & 1 == 0 ? .cubic : .linear
    guard var synthesizer = try? Synthesizer(soundFont: soundFont, settings: settings) else { return 0 }
    let frames = 128
    let left = UnsafeMutablePointer<Float>.allocate(capacity: frames)
    let right = UnsafeMutablePointer<Float>.allocate(capacity: frames)
    defer {
        left.deallocate()
        right.deallocate()
    }
    func render(_ blocks: Int) {
        for _ in 0..<blocks {
            synthesizer.render(left: left, right: right, frameCount: frames)
            for i in 0..<frames {
                precondition(left[i].isFinite && right[i].isFinite, "non-finite output \(left[i]) \(right[i])")
            }
        }
    }
    for preset in soundFont.presets.prefix(8) {
        let channel = preset.bank == 128 ? 9 : Int(recipe.byte() & 7)
        synthesizer.send(.controlChange(channel: channel, controller: 0, value: preset.bank & 127))
        synthesizer.send(.programChange(channel: channel, program: preset.program))
        let key = Int(recipe.byte() & 127), velocity = 1 + Int(recipe.byte() & 127) % 127
        synthesizer.send(.noteOn(channel: channel, key: key, velocity: velocity))
        render(2)
        synthesizer.send(.controlChange(channel: channel, controller: Int(recipe.byte() & 127), value: Int(recipe.byte() & 127)))
        synthesizer.send(.pitchBend(channel: channel, value: Int(recipe.word() & 0x3FFF)))
        render(1)
        synthesizer.send(.noteOff(channel: channel, key: key))
        render(2)
    }
    return 0
}

/// Builds a structurally valid SF2 (RIFF, INFO, sdta, pdta with terminal records) from a
/// stream of choices; the values inside (points, indices, generator amounts) are the fuzzer's,
/// so many fonts are refused by the reader and the rest reach synthesis.
struct SoundFontRecipe {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ input: UnsafeBufferPointer<UInt8>) { self.input = input }

    /// The next input byte (0 once the input is used up).
    mutating func byte() -> UInt8 {
        guard position < input.count else { return 0 }
        defer { position += 1 }
        return input[position]
    }

    mutating func word() -> UInt16 { UInt16(byte()) | UInt16(byte()) << 8 }

    /// A generator amount: often an extreme, else any value.
    mutating func amount() -> Int16 {
        switch byte() & 7 {
        case 0: return .max
        case 1: return .min
        case 2: return Int16(Int8(bitPattern: byte()))
        case 3: return 0
        default: return Int16(bitPattern: word())
        }
    }

    /// A point in or just past `count` points.
    mutating func point(_ count: Int) -> Int {
        byte() & 15 == 0 ? Int(word()) << 4 : Int(word()) % (count + 2)
    }

    mutating func build() -> [UInt8] {
        // Sample data: a short waveform of any points.
        let pointCount = 8 + Int(word() % 1024)
        var smpl: [UInt8] = []
        smpl.reserveCapacity(2 * pointCount)
        for i in 0..<pointCount {
            let value = i < 64 ? word() : UInt16(truncatingIfNeeded: i &* 977)
            smpl += [UInt8(value & 0xFF), UInt8(value >> 8)]
        }
        var shdr: [UInt8] = []
        let sampleCount = 1 + Int(byte() & 3)
        for s in 0..<sampleCount {
            let start = point(pointCount), end = point(pointCount)
            shdr += Self.name("s\(s)") + Self.u32(start) + Self.u32(max(start, end)) + Self.u32(point(pointCount))
                + Self.u32(point(pointCount)) + Self.u32([44100, 0, 1, 1_000_000, 22050, 96000, 8000, 48000][Int(byte() & 7)])
                + [byte(), byte()] + Self.u16(0) + Self.u16(byte() & 7 == 0 ? Int(word()) : 1)
        }
        shdr += Self.name("EOS") + Array(repeating: 0, count: 26)

        let instrumentCount = 1 + Int(byte() & 3)
        let instruments = zoneTables(headers: instrumentCount, terminal: 53, targets: sampleCount, level: .instrument)
        var inst: [UInt8] = []
        for (index, start) in instruments.starts.enumerated() {
            inst += Self.name(index < instrumentCount ? "i\(index)" : "EOI") + Self.u16(start)
        }
        let presetCount = 1 + Int(byte() & 7)
        let presets = zoneTables(headers: presetCount, terminal: 41, targets: instrumentCount, level: .preset)
        var phdr: [UInt8] = []
        for (index, start) in presets.starts.enumerated() {
            let bank = index < presetCount ? [0, 128, 0, 1, 8, 0, 127, Int(byte())][Int(byte() & 7)] : 0
            phdr += Self.name(index < presetCount ? "p\(index)" : "EOP") + Self.u16(Int(byte() & 127)) + Self.u16(bank)
                + Self.u16(start) + Array(repeating: 0, count: 12)
        }

        let version = byte() & 3 == 0 ? 4 : 1
        let info = Self.chunk("ifil", Self.u16(2) + Self.u16(version)) + Self.chunk("INAM", Array("Fuzz\0\0".utf8))
        var sdta = Self.chunk("smpl", smpl)
        if version == 4 && byte() & 1 == 0 { sdta += Self.chunk("sm24", (0..<pointCount).map { UInt8(truncatingIfNeeded: $0 &* 31) }) }
        let pdta = Self.chunk("phdr", phdr) + Self.chunk("pbag", presets.bags) + Self.chunk("pmod", presets.modulators)
            + Self.chunk("pgen", presets.generators) + Self.chunk("inst", inst) + Self.chunk("ibag", instruments.bags)
            + Self.chunk("imod", instruments.modulators) + Self.chunk("igen", instruments.generators) + Self.chunk("shdr", shdr)
        let body = Array("sfbk".utf8) + Self.chunk("LIST", Array("INFO".utf8) + info)
            + Self.chunk("LIST", Array("sdta".utf8) + sdta) + Self.chunk("LIST", Array("pdta".utf8) + pdta)
        return Self.chunk("RIFF", body)
    }

    enum Level { case preset, instrument }

    /// Bags, modulators and generators for `headers` presets or instruments (1...4 zones each,
    /// the first sometimes global), with terminal records; `starts` has one entry more than
    /// `headers` (the terminal header's).
    mutating func zoneTables(headers: Int, terminal: UInt16, targets: Int, level: Level)
        -> (bags: [UInt8], modulators: [UInt8], generators: [UInt8], starts: [Int]) {
        var bags: [UInt8] = [], modulators: [UInt8] = [], generators: [UInt8] = []
        var starts: [Int] = []
        var bagCount = 0, modulatorCount = 0, generatorCount = 0
        for _ in 0..<headers {
            starts.append(bagCount)
            let zoneCount = 1 + Int(byte() & 3)
            for zone in 0..<zoneCount {
                bags += Self.u16(generatorCount) + Self.u16(modulatorCount)
                bagCount += 1
                let isGlobal = zone == 0 && byte() & 3 == 0
                if byte() & 1 == 0 {
                    let low = byte() & 127, high = byte() & 127
                    generators += Self.u16(43) + [min(low, high), max(low, high)]
                    generatorCount += 1
                }
                for _ in 0..<Int(byte() & 7) {
                    // Any generator, the sample and loop offsets (0-4, 12, 45, 50) often.
                    let offsets: [UInt16] = [0, 1, 2, 3, 4, 12, 45, 50, 54, 58, 46, 47]
                    let op = byte() & 1 == 0 ? offsets[Int(byte()) % offsets.count] : UInt16(byte() % 62)
                    generators += Self.u16(Int(op)) + Self.u16(Int(UInt16(bitPattern: amount())))
                    generatorCount += 1
                }
                for _ in 0..<Int(byte() & 3) {
                    let sources: [UInt16] = [0x0502, 0x0102, 0x0081, 0x0587, 0x028A, 0x020E, 0x0010, 0x000D, 0x0003]
                    let source = byte() & 1 == 0 ? sources[Int(byte()) % sources.count] : word()
                    let destination = byte() & 1 == 0 ? UInt16([0, 1, 2, 3, 4, 12, 45, 50, 48, 8, 17, 51, 6][Int(byte()) % 13]) : word()
                    modulators += Self.u16(Int(source)) + Self.u16(Int(destination)) + Self.u16(Int(UInt16(bitPattern: amount())))
                        + Self.u16(byte() & 1 == 0 ? 0 : Int(word())) + Self.u16(byte() & 3 == 0 ? 2 : 0)
                    modulatorCount += 1
                }
                if !isGlobal {
                    let target = byte() & 31 == 0 ? Int(word()) : Int(byte()) % targets
                    generators += Self.u16(Int(terminal)) + Self.u16(target)
                    generatorCount += 1
                }
            }
        }
        starts.append(bagCount)
        bags += Self.u16(generatorCount) + Self.u16(modulatorCount)
        modulators += Array(repeating: 0, count: 10)
        generators += Array(repeating: 0, count: 4)
        return (bags, modulators, generators, starts)
    }

    static func u16(_ v: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
    static func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16) }
    static func name(_ s: String) -> [UInt8] { Array(s.utf8.prefix(20)) + Array(repeating: 0, count: 20 - min(s.utf8.count, 20)) }
    static func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] {
        Array(id.utf8) + u32(body.count) + body + (body.count % 2 == 1 ? [0] : [])
    }
}
