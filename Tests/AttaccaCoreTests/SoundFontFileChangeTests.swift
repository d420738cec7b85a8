import AttaccaAssets
import Testing
@testable import AttaccaCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17, class 7: a SoundFont file truncated (or rewritten shorter) while it is loaded must
/// not kill the process. It is memory-mapped, and reading a page past the file's new end raises
/// SIGBUS; `MappedFileGuard` turns that into zero pages, so what was cut off plays as silence.
/// Class 3: a FIFO is refused at once instead of blocking `open`.
@Suite(.serialized) struct SoundFontFileChangeTests {
    @Test func truncatedAfterLoadingReadsAsSilence() throws {
        let original = TestSoundFonts.small()
        let file = TemporaryFile(SoundFontWriter.bytes(for: original))
        let soundFont = try SoundFont(path: file.path)
        #expect(soundFont.sampleData.elementsEqual(original.sampleData))
        #expect(truncate(file.path, 0) == 0)
        // Every point is still readable (the mapping raised SIGBUS here before), and reads 0.
        #expect(soundFont.sampleData.allSatisfy { $0 == 0 })
        var synthesizer = try Synthesizer(soundFont: soundFont)
        synthesizer.send(.noteOn(channel: 0, key: 60, velocity: 100))
        var left = [Float](repeating: 1, count: 4800), right = left
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in synthesizer.render(left: l.baseAddress!, right: r.baseAddress!, frameCount: 4800) }
        }
        #expect(left.allSatisfy { $0.isFinite })
    }

    /// Only the pages past the new end change; the font can go away and a new one be mapped.
    @Test func truncatedInTheMiddleKeepsTheStart() throws {
        let data = (0..<40_000).map { Int16(truncatingIfNeeded: $0 &* 7 | 1) }
        let header = SampleHeader(name: "s", start: 0, end: 40_000, loopStart: 0, loopEnd: 40_000, sampleRate: 44100,
                                  originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        var zone = Zone()
        zone.generators[.sampleID] = 0
        var presetZone = Zone()
        presetZone.generators[.instrument] = 0
        let font = SoundFont(presets: [Preset(name: "p", bank: 0, program: 0, globalZone: nil, zones: [presetZone])],
                             instruments: [Instrument(name: "i", globalZone: nil, zones: [zone])], samples: [header], sampleData: data)
        let bytes = SoundFontWriter.bytes(for: font)
        let file = TemporaryFile(bytes)
        let loaded = try SoundFont(path: file.path)
        // Cut the file 20000 bytes into the sample data (not on a page boundary).
        let smpl = (0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual("smpl".utf8) }! + 8
        let cut = smpl + 20_000
        #expect(truncate(file.path, off_t(cut)) == 0)
        // Bytes before the cut keep their value; after it, the rest of its page reads as zeros
        // (the kernel's rule) and later pages as the guard's zero pages.
        var wrong = 0
        for (index, point) in loaded.sampleData.enumerated() where point != (smpl + 2 * index + 1 < cut ? data[index] : 0) {
            wrong += 1
        }
        #expect(wrong == 0)
        #expect(loaded.sampleData[9_999] == data[9_999] && loaded.sampleData[10_000] == 0)
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        let path = "/tmp/attacca-test-fifo-\(getpid()).sf2"
        unlink(path)
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        #expect(throws: SoundFontError.unreadable(path: path, reason: "not a regular file")) {
            _ = try SoundFont(path: path)
        }
    }
}
