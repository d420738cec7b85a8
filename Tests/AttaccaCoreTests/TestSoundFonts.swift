import AttaccaAssets
import AttaccaCore

/// Small SoundFonts built in code for the reader, writer and corruption tests.
enum TestSoundFonts {
    static let timGM6mbPath = "/usr/share/sounds/sf2/TimGM6mb.sf2"
    static let fluidR3Path = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

    /// Two samples, two instruments (one with a global zone and modulators), three presets
    /// (one a drum kit at bank 128) and every INFO string.
    static func small(with24BitData: Bool = false) -> SoundFont {
        var data = SampleDataBuilder()
        let triangle: [Int16] = (0..<200).map { (index: Int) -> Int16 in
            let phase = index % 40
            return Int16((phase < 20 ? phase : 40 - phase) * 600 - 6000)
        }
        let tri = data.append(triangle)
        let ramp: [Int16] = (0..<120).map { (index: Int) -> Int16 in Int16(index * 200 - 12000) }
        let saw = data.append(ramp)
        let samples = [
            SampleHeader(name: "Triangle", start: tri.lowerBound, end: tri.upperBound,
                         loopStart: tri.lowerBound + 10, loopEnd: tri.upperBound - 10, sampleRate: 44100,
                         originalPitch: 69, pitchCorrection: -3, sampleLink: 0, sampleType: 1),
            SampleHeader(name: "Saw ünïcode", start: saw.lowerBound, end: saw.upperBound,
                         loopStart: saw.lowerBound, loopEnd: saw.upperBound, sampleRate: 22050,
                         originalPitch: 60, pitchCorrection: 5, sampleLink: 0, sampleType: 1),
        ]

        var global = GeneratorSet()
        global[.attackVolEnv] = -7972
        global[.releaseVolEnv] = 1200
        global[.initialFilterFc] = 9000
        let modulator = Modulator(source: 0x0502, destination: 48, amount: 960, amountSource: 0, transform: 0)
        var low = GeneratorSet()
        low[.keyRange] = Int16(bitPattern: UInt16(63) << 8)  // 0...63
        low[.velRange] = Int16(bitPattern: UInt16(100) << 8 | 1)
        low[.sampleModes] = 1
        low[.overridingRootKey] = 57
        low[.pan] = -200
        low[.sampleID] = 0
        var high = GeneratorSet()
        high[.keyRange] = Int16(bitPattern: UInt16(127) << 8 | 64)  // 64...127
        high[.startAddrsOffset] = 4
        high[.exclusiveClass] = 1
        high[.sampleID] = 1
        let lead = Instrument(name: "Lead", globalZone: Zone(generators: global, modulators: [modulator]),
                              zones: [Zone(generators: low), Zone(generators: high, modulators: [
                                  Modulator(source: 0x0081, destination: 17, amount: -500, amountSource: 0, transform: 2),
                              ])])
        var drum = GeneratorSet()
        drum[.keyRange] = Int16(bitPattern: UInt16(40) << 8 | 35)
        drum[.exclusiveClass] = 2
        drum[.sampleID] = 1
        let kit = Instrument(name: "Kit", zones: [Zone(generators: drum)])

        var presetGlobal = GeneratorSet()
        presetGlobal[.coarseTune] = -12
        var leadZone = GeneratorSet()
        leadZone[.velRange] = Int16(bitPattern: UInt16(127) << 8 | 20)
        leadZone[.instrument] = 0
        var kitZone = GeneratorSet()
        kitZone[.instrument] = 1
        let presets = [
            Preset(name: "Lead Preset", bank: 0, program: 0, globalZone: Zone(generators: presetGlobal),
                   zones: [Zone(generators: leadZone)]),
            Preset(name: "Lead Octave", bank: 1, program: 80,
                   zones: [Zone(generators: leadZone, modulators: [modulator])]),
            Preset(name: "Standard Kit", bank: 128, program: 0, zones: [Zone(generators: kitZone)]),
        ]

        var info = SoundFontInfo()
        info.versionMinor = with24BitData ? 4 : 1
        info.name = "Test Font"
        info.romName = "ROM"
        info.romVersionMajor = 1
        info.romVersionMinor = 2
        info.creationDate = "November 25, 2026"
        info.engineers = "Attacca tests"
        info.product = "None"
        info.copyright = "Public domain"
        info.comment = "Made by TestSoundFonts.small()"
        info.software = "Attacca:Attacca"
        let low24 = with24BitData ? data.data.indices.map { UInt8(truncatingIfNeeded: $0 &* 7) } : nil
        return SoundFont(info: info, presets: presets, instruments: [lead, kit], samples: samples,
                         sampleData: data.data, sampleData24: low24)
    }

    static func smallBytes(with24BitData: Bool = false) -> [UInt8] {
        SoundFontWriter.bytes(for: small(with24BitData: with24BitData))
    }
}
