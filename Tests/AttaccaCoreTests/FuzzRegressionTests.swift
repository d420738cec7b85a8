import AttaccaCore
import Glibc
import Testing

/// Replays the inputs kept in `Tests/Fuzz/Regressions/<target>/` (files a fuzzer in `Tests/Fuzz`
/// crashed on, and hand-made boundary cases; the file names say which): every input must
/// load or fail with a typed error through both entry points, and what loads must keep the
/// model's promises, the same checks the fuzz targets make.
@Suite struct FuzzRegressionTests {
    /// `Tests/Fuzz/Regressions`, found from this file's path.
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Fuzz/Regressions"
    }()

    /// The files of one target's folder, sorted; empty when the folder does not exist.
    static func inputs(_ target: String) -> [String] {
        guard let stream = opendir(directory + "/" + target) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8] {
        guard let stream = fopen(path, "rb") else { return [] }
        defer { fclose(stream) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, stream)
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    @Test func regressionFoldersHoldInputs() {
        #expect(!Self.inputs("sf2").isEmpty)
        #expect(!Self.inputs("midi").isEmpty)
    }

    @Test(arguments: inputs("sf2"))
    func soundFont(_ name: String) throws {
        let path = Self.directory + "/sf2/" + name
        let bytes = Self.read(path)
        #expect(!bytes.isEmpty)
        let viaBytes = Result { () throws(SoundFontError) in try SoundFont(bytes: bytes) }
        let viaPath = Result { () throws(SoundFontError) in try SoundFont(path: path) }
        switch (viaBytes, viaPath) {
        case let (.failure(error), .failure(pathError)):
            #expect(error == pathError)
            #expect(!error.description.isEmpty)
        case let (.success(font), .success(mapped)):
            #expect(font.presets == mapped.presets && font.instruments == mapped.instruments && font.samples == mapped.samples)
            #expect(font.sampleData.elementsEqual(mapped.sampleData))
            Self.checkPromises(font)
        default:
            Issue.record("bytes: \(viaBytes), path: \(viaPath)")
        }
    }

    /// Sample offsets inside the data, zone indices inside their tables.
    static func checkPromises(_ font: SoundFont) {
        let points = font.sampleData.count
        for sample in font.samples {
            #expect(0 <= sample.start && sample.start <= sample.end && sample.end <= points, "\(sample)")
            #expect((0...points).contains(sample.loopStart) && (0...points).contains(sample.loopEnd), "\(sample)")
        }
        for instrument in font.instruments {
            for zone in instrument.zones { #expect(zone.sampleIndex.map { $0 < font.samples.count } == true) }
        }
        for preset in font.presets {
            for zone in preset.zones { #expect(zone.instrumentIndex.map { $0 < font.instruments.count } == true) }
        }
    }

    @Test(arguments: inputs("midi"))
    func midiFile(_ name: String) throws {
        let bytes = Self.read(Self.directory + "/midi/" + name)
        #expect(!bytes.isEmpty)
        let file: MidiFile
        do {
            file = try MidiFile(bytes: bytes)
        } catch {
            #expect(!error.description.isEmpty)
            return
        }
        #expect(file.duration.isFinite && file.duration >= 0)
        #expect(file.events.allSatisfy { $0.time.isFinite && $0.time <= file.duration })
        // Played at a low rate for a bounded number of blocks: exactly the events due so far
        // reach the engine, and the file finishes if its end was reached.
        let rate = 100
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: rate)
        var engine = CountingEngine(sampleRate: rate)
        let left = UnsafeMutablePointer<Float>.allocate(capacity: 4096)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: 4096)
        defer { left.deallocate(); right.deallocate() }
        var blocks = 0
        while blocks < 1000, sequencer.render(&engine, left: left, right: right, frameCount: 4096) { blocks += 1 }
        let due = file.events.filter { ($0.time * Double(rate)).rounded() < Double(sequencer.position) }.count
        #expect(engine.messagesReceived == due && sequencer.eventsSent == due)
        #expect(sequencer.isFinished || (blocks == 1000 && sequencer.endFrame >= sequencer.position))
    }
}
