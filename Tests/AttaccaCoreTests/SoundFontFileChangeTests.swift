import AttaccaAssets
import Testing
@testable import AttaccaCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17, class 7: a SoundFont file truncated (or rewritten) while it is loaded must not
/// kill the process. It was memory-mapped, and reading a page past the new end raised SIGBUS;
/// the file is now read into memory the font owns, so nothing the file does later reaches it.
/// Class 3: a FIFO is refused at once instead of blocking `open`.
@Suite struct SoundFontFileChangeTests {
    @Test func truncatedAfterLoadingStillPlays() throws {
        let original = TestSoundFonts.small()
        let file = TemporaryFile(SoundFontWriter.bytes(for: original))
        let soundFont = try SoundFont(path: file.path)
        let before = soundFont.sampleData.reduce(0) { $0 &+ Int($1) }
        #expect(truncate(file.path, 0) == 0)
        // Every point is still readable and unchanged (a mapping would have raised SIGBUS here).
        #expect(soundFont.sampleData.reduce(0) { $0 &+ Int($1) } == before)
        #expect(soundFont.sampleData.elementsEqual(original.sampleData))
        var synthesizer = try Synthesizer(soundFont: soundFont)
        synthesizer.send(.noteOn(channel: 0, key: 60, velocity: 100))
        var left = [Float](repeating: 0, count: 4800), right = left
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in synthesizer.render(left: l.baseAddress!, right: r.baseAddress!, frameCount: 4800) }
        }
        #expect(left.contains { $0 != 0 })
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
