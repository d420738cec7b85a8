import AttaccaAssets
import AttaccaCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The generated default SoundFont: the model's invariants, exact loops and pitch, and that the
/// committed SoundFonts/Attacca.sf2 is what the generator writes.
@Suite struct DefaultSoundFontTests {
    static let font = DefaultSoundFont.make()
    static let data = Array(font.sampleData)

    static var committedFilePath: String {
        // #filePath is .../Tests/AttaccaCoreTests/DefaultSoundFontTests.swift
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/SoundFonts/Attacca.sf2"
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// The frequency the header states: root key minus the correction (SF2 2.04 section 7.10).
    static func statedFrequency(_ sample: SampleHeader) -> Double {
        let key = Double(sample.originalPitch) - Double(sample.pitchCorrection) / 100
        return 440 * pow(2, (key - 69) / 12)
    }

    /// Magnitude of DFT bin `bin` of `points` (Goertzel-free direct sum; the loops are short).
    static func binMagnitude(_ points: ArraySlice<Int16>, bin: Int) -> Double {
        var re = 0.0, im = 0.0
        let n = Double(points.count)
        for (i, point) in points.enumerated() {
            let angle = 2 * Double.pi * Double(bin) * Double(i) / n
            re += Double(point) * cos(angle)
            im -= Double(point) * sin(angle)
        }
        return (re * re + im * im).squareRoot()
    }

    var font: SoundFont { Self.font }
    var data: [Int16] { Self.data }
    var tonalSamples: [SampleHeader] { font.samples.filter { $0.loopEnd - $0.loopStart < $0.end - $0.start } }

    @Test func infoNamesTheFont() {
        #expect(font.info.name == DefaultSoundFont.name)
        #expect(font.info.name == "Attacca Default")
        #expect(font.info.soundEngine == "EMU8000")
        #expect(font.info.software == "Attacca")
    }

    @Test func twoCallsGiveIdenticalFonts() {
        let other = DefaultSoundFont.make()
        #expect(Array(other.sampleData) == data)
        #expect(other.samples == font.samples)
        #expect(other.instruments == font.instruments)
        #expect(other.presets == font.presets)
    }

    @Test func isSmall() {
        #expect(font.sampleData.count * 2 < 2_000_000)
    }

    @Test func everyGeneralMidiProgramAndTheDrumKitArePresent() {
        for program in 0..<128 {
            let matches = font.presets.filter { $0.bank == 0 && $0.program == program }
            #expect(matches.count == 1, "bank 0 program \(program)")
        }
        #expect(font.presets.contains { $0.bank == 128 && $0.program == 0 })
        #expect(font.presets.first { $0.bank == 0 && $0.program == 0 }?.name == "Grand Piano")
        #expect(font.presets.first { $0.bank == 0 && $0.program == 40 }?.name == "Violin")
        for preset in font.presets {
            #expect(!preset.name.isEmpty && preset.name.utf8.count <= 19, "\(preset.name)")
        }
    }

    @Test func familiesMapToTheirInstruments() {
        func instrumentName(program: Int) -> String? {
            guard let preset = font.presets.first(where: { $0.bank == 0 && $0.program == program }) else { return nil }
            return font.instruments[Int(preset.zones[0].generators[.instrument])].name
        }
        for program in 0...15 { #expect(instrumentName(program: program) == "Attacca Piano") }
        for program in 16...23 { #expect(instrumentName(program: program) == "Attacca Organ") }
        for program in 32...39 { #expect(instrumentName(program: program) == "Attacca Bass") }
        for program in Array(40...55) + Array(88...95) { #expect(instrumentName(program: program) == "Attacca Strings") }
    }

    /// Brightness follows velocity through an explicit modulator (FluidSynth ignores the default one).
    @Test func pianoAndBassFilterFollowsVelocity() {
        for name in ["Attacca Piano", "Attacca Bass"] {
            let modulators = font.instruments.first { $0.name == name }?.globalZone?.modulators ?? []
            #expect(modulators.contains {
                $0.source & 0x7F == 2 && $0.source & 0x80 == 0 && $0.destination == GeneratorType.initialFilterFc.rawValue
                    && $0.amount < 0 && $0.source & 0x100 != 0
            }, "\(name)")
        }
    }

    @Test func zonesReferToExistingInstrumentsAndSamples() {
        for preset in font.presets {
            #expect(!preset.zones.isEmpty)
            for zone in preset.zones {
                #expect(font.instruments.indices.contains(Int(zone.generators[.instrument])))
            }
        }
        for instrument in font.instruments {
            #expect(!instrument.zones.isEmpty)
            for zone in instrument.zones {
                #expect(zone.generators.isSet(.sampleID))
                #expect(font.samples.indices.contains(Int(zone.generators[.sampleID])))
            }
        }
    }

    /// Every key and velocity of each melodic instrument is covered by exactly one zone.
    @Test func melodicZonesCoverEveryKeyAndVelocityOnce() {
        for instrument in font.instruments where instrument.name != "Attacca Drums" {
            var counts = [Int](repeating: 0, count: 128 * 128)
            for zone in instrument.zones {
                for key in zone.generators.keyRange {
                    for velocity in zone.generators.velocityRange { counts[Int(key) * 128 + Int(velocity)] += 1 }
                }
            }
            #expect(counts.allSatisfy { $0 == 1 }, "\(instrument.name)")
        }
    }

    @Test func pianoHasTwoVelocityLayers() throws {
        let piano = try #require(font.instruments.first { $0.name == "Attacca Piano" })
        let layers = Set(piano.zones.map { $0.generators.velocityRange })
        #expect(layers == [0...79, 80...127])
    }

    @Test func drumKitHasTheGeneralMidiKeysAsOneShotsAndHatsChokeEachOther() throws {
        let kitPreset = try #require(font.presets.first { $0.bank == 128 && $0.program == 0 })
        let kit = font.instruments[Int(kitPreset.zones[0].generators[.instrument])]
        #expect(kit.globalZone?.generators[.sampleModes] == 0)
        // Release slower than 100 dB in 5 s (2786 timecents): short drum notes must not cut cymbals.
        #expect((kit.globalZone?.generators[.releaseVolEnv] ?? -12000) > 2786)
        func zone(_ key: UInt8) -> Zone? { kit.zones.first { $0.generators.keyRange.contains(key) } }
        for key: UInt8 in [35, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51] {
            #expect(zone(key) != nil, "drum key \(key)")
            #expect(zone(key)?.generators.isSet(.sampleModes) == false, "key \(key) must stay one-shot")
        }
        let hatClasses = [42, 44, 46].map { zone(UInt8($0))?.generators[.exclusiveClass] }
        #expect(hatClasses == [1, 1, 1])
        #expect(zone(36)?.generators.isSet(.exclusiveClass) == false)
    }

    @Test func samplesAreMono16BitAtAStandardRateWithZeroPadding() {
        for sample in font.samples {
            #expect(sample.sampleRate == 44100 || sample.sampleRate == 48000)
            #expect(sample.sampleType == 1)
            #expect(sample.start < sample.end && sample.end + 46 <= data.count, "\(sample.name)")
            #expect(data[sample.end..<(sample.end + 46)].allSatisfy { $0 == 0 }, "\(sample.name)")
            #expect(data[sample.start..<sample.end].contains { $0 != 0 }, "\(sample.name) is silent")
        }
        let sorted = font.samples.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(a.end + 46 <= b.start, "\(a.name) and \(b.name) overlap their padding")
        }
    }

    /// Loops keep 8 points of margin inside the sample (SF2 2.04 section 7.10) and repeat exactly:
    /// the points after the loop end are the loop's first points again, so the jump is seamless;
    /// and they start at a rising zero crossing.
    @Test func loopsAreInsideTheSampleAndSeamless() {
        for sample in tonalSamples {
            #expect(sample.loopStart - sample.start >= 8, "\(sample.name)")
            #expect(sample.end - sample.loopEnd >= 8, "\(sample.name)")
            #expect(sample.loopEnd - sample.loopStart >= 32, "\(sample.name)")
            for k in 0..<8 {
                #expect(data[sample.loopEnd + k] == data[sample.loopStart + k], "\(sample.name) point \(k)")
            }
            // The loop starts on a rising zero crossing (the point before it, cyclically, is the last of the loop).
            #expect(data[sample.loopEnd - 1] <= 0 && data[sample.loopStart] >= 0, "\(sample.name)")
            #expect(abs(Int(data[sample.loopStart])) < 2000, "\(sample.name) starts its loop far from zero")
        }
        for sample in font.samples {
            #expect(sample.start <= sample.loopStart && sample.loopStart <= sample.loopEnd && sample.loopEnd <= sample.end)
        }
    }

    /// The loop is an integral number of periods of the pitch the header states, within 0.1 cent.
    @Test func loopLengthsAreWholePeriodsOfTheStatedPitch() {
        #expect(tonalSamples.count >= 8)
        for sample in tonalSamples {
            let periods = Double(sample.loopEnd - sample.loopStart) * Self.statedFrequency(sample)
                / Double(sample.sampleRate)
            let cents = 1200 * log2(periods / periods.rounded())
            // SF2 can state pitch to 1 cent; the generator searches loop lengths to do 10 times better.
            #expect(abs(cents) < 0.1, "\(sample.name): \(periods) periods")
        }
    }

    /// Independent of the header: over an exactly periodic loop all energy sits on multiples of the
    /// fundamental's bin. The neighbouring bins stay over 80 dB down (measured: over 100 dB); a loop
    /// one point too long already leaks to within 36-55 dB.
    @Test func loopSpectrumPeaksOnTheFundamentalBin() {
        for sample in tonalSamples where !sample.name.hasPrefix("Strings") {
            let loop = data[sample.loopStart..<sample.loopEnd]
            let bin = Int((Double(loop.count) * Self.statedFrequency(sample) / Double(sample.sampleRate)).rounded())
            let center = Self.binMagnitude(loop, bin: bin)
            let neighbours = max(Self.binMagnitude(loop, bin: bin - 1), Self.binMagnitude(loop, bin: bin + 1))
            #expect(center > 10_000 * neighbours, "\(sample.name): bin \(bin) \(center) vs \(neighbours)")
        }
    }

    @Test func committedFileIsTheGeneratorsOutput() throws {
        let committed = try #require(Self.readFile(Self.committedFilePath), "missing \(Self.committedFilePath)")
        let generated = SoundFontWriter.bytes(for: font)
        // Compared as a Bool: a failure must not print two megabyte-long arrays.
        let firstDifference = committed.indices.first { $0 < generated.count && committed[$0] != generated[$0] }
        let identical = committed.count == generated.count && firstDifference == nil
        #expect(identical, """
            committed \(committed.count) bytes, generated \(generated.count), first difference at \
            \(firstDifference.map(String.init) ?? "the end"); run `swift run attacca-assets` and commit SoundFonts/Attacca.sf2
            """)
    }

    /// The committed file, read back by the SF2 reader, is the model the generator built.
    @Test func committedFileParsesBackToTheGeneratedModel() throws {
        let parsed = try SoundFont(path: Self.committedFilePath)
        #expect(parsed.info.name == DefaultSoundFont.name)
        #expect(parsed.info.software == "Attacca")
        #expect(parsed.samples == font.samples)
        #expect(parsed.instruments == font.instruments)
        #expect(parsed.presets == font.presets)
        let parsedData = Array(parsed.sampleData)
        #expect(parsedData == data, "sample data differs")
    }

    /// What a General MIDI file needs, checked on the parsed file: every melodic program, the
    /// drum kit and its keys, the hats in one exclusive class.
    @Test func committedFileHasTheGeneralMidiPresetsAndDrumKeys() throws {
        let parsed = try SoundFont(path: Self.committedFilePath)
        for program in 0..<128 {
            #expect(parsed.preset(bank: 0, program: program) != nil, "bank 0 program \(program)")
        }
        let kitPreset = try #require(parsed.preset(bank: 128, program: 0))
        let kitIndex = try #require(kitPreset.zones.first?.instrumentIndex)
        let kit = parsed.instruments[kitIndex]
        func zone(_ key: UInt8) -> Zone? { kit.zones.first { $0.generators.keyRange.contains(key) } }
        for key: UInt8 in [35, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51] {
            let sample = try #require(zone(key)?.sampleIndex, "drum key \(key)")
            #expect(parsed.samples.indices.contains(sample))
        }
        #expect([42, 44, 46].map { zone(UInt8($0))?.generators[.exclusiveClass] } == [1, 1, 1])
    }
}
