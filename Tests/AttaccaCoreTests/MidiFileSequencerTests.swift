import AttaccaAssets
import AttaccaCore
import CAllocationCounter
import Testing

@Suite struct MidiFileSequencerTests {
    /// Renders the whole file in blocks of `blockSize` into a recording engine.
    static func record(_ file: MidiFile, sampleRate: Int, blockSize: Int) -> (engine: RecordingEngine, sequencer: MidiFileSequencer, blocks: Int) {
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: sampleRate)
        var engine = RecordingEngine(sampleRate: sampleRate)
        let left = UnsafeMutablePointer<Float>.allocate(capacity: blockSize)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: blockSize)
        defer { left.deallocate(); right.deallocate() }
        var blocks = 0
        var more = true
        var everyFrameOnceInOrder = true
        while more && blocks <= 100_000_000 / blockSize {
            let start = engine.framesRendered
            more = sequencer.render(&engine, left: left, right: right, frameCount: blockSize)
            blocks += 1
            everyFrameOnceInOrder = everyFrameOnceInOrder && engine.framesRendered == start + blockSize
            for i in 0..<blockSize where left[i] != Float(start + i) || right[i] != -Float(start + i) {
                everyFrameOnceInOrder = false
            }
        }
        #expect(everyFrameOnceInOrder)
        #expect(!more)
        return (engine, sequencer, blocks)
    }

    static func expectExactFrames(_ file: MidiFile, sampleRate: Int, blockSize: Int) {
        let (engine, sequencer, _) = record(file, sampleRate: sampleRate, blockSize: blockSize)
        #expect(engine.received.count == file.events.count)
        #expect(engine.received.map(\.message) == file.events.map(\.message))
        let expected = file.events.map { Int(($0.time * Double(sampleRate)).rounded()) }
        let mismatches = zip(engine.received.map(\.frame), expected).filter { $0 != $1 }
        #expect(mismatches.isEmpty, "block \(blockSize): first mismatches \(mismatches.prefix(3))")
        #expect(sequencer.isFinished)
        #expect(sequencer.position >= sequencer.endFrame)
        // The block that sends an event at `endFrame` must include that frame.
        #expect(sequencer.position - sequencer.endFrame <= blockSize)
    }

    @Test(arguments: [1, 64, 1000])
    func eventsLandAtTheirExactFrame(blockSize: Int) throws {
        // Drums has a tempo change; chords has many simultaneous events.
        for bytes in [ExampleMidiFiles.drums(), ExampleMidiFiles.chordsSustain()] {
            Self.expectExactFrames(try MidiFile(bytes: bytes), sampleRate: 48000, blockSize: blockSize)
        }
        Self.expectExactFrames(try MidiFile(bytes: ExampleMidiFiles.drums()), sampleRate: 44100, blockSize: blockSize)
    }

    @Test(arguments: [64, 1000, 48000])
    func denseFileAtExactFrames(blockSize: Int) throws {
        Self.expectExactFrames(try MidiFile(bytes: ExampleMidiFiles.dense()), sampleRate: 48000, blockSize: blockSize)
    }

    @Test func moreEventsInOneBlockThanTheScratchBufferHolds() throws {
        // 3 × capacity events at one instant, then more a few frames later, in one block.
        var track = MidiFileWriter.Track()
        let count = 3 * MidiFileSequencer.scratchCapacity
        for i in 0..<count { track.add(.controlChange(channel: i % 16, controller: 7, value: i % 128), at: 10) }
        for i in 0..<count { track.add(.controlChange(channel: i % 16, controller: 10, value: i % 128), at: 11) }
        let file = try MidiFile(bytes: MidiFileWriter(resolution: 96).bytes(tracks: [track]))
        #expect(file.events.count == 2 * count)
        Self.expectExactFrames(file, sampleRate: 48000, blockSize: 4096)
        Self.expectExactFrames(file, sampleRate: 48000, blockSize: 1)
    }

    @Test func returnsFalseOnlyAtTheEnd() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.a440())
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: 1000)
        var engine = RecordingEngine(sampleRate: 1000)
        let left = UnsafeMutablePointer<Float>.allocate(capacity: 1000)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: 1000)
        defer { left.deallocate(); right.deallocate() }
        #expect(sequencer.endFrame == 3000)
        #expect(!sequencer.isFinished)
        #expect(sequencer.render(&engine, left: left, right: right, frameCount: 1000))
        #expect(sequencer.render(&engine, left: left, right: right, frameCount: 1000))
        #expect(sequencer.eventsSent == 2)
        // The note-off is at frame 3000, the first frame after this block.
        #expect(sequencer.render(&engine, left: left, right: right, frameCount: 1000))
        #expect(sequencer.eventsSent == 2)
        #expect(sequencer.position == 3000)
        #expect(!sequencer.render(&engine, left: left, right: right, frameCount: 1))
        #expect(sequencer.isFinished)
        #expect(engine.received.map(\.frame) == [0, 0, 3000])
        // Rendering past the end sends nothing more.
        #expect(!sequencer.render(&engine, left: left, right: right, frameCount: 1000))
        #expect(engine.received.count == 3)
        #expect(sequencer.position == 4001)
    }

    @Test func resetStartsAgain() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.scale())
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: 48000)
        var first = RecordingEngine(sampleRate: 48000)
        var second = RecordingEngine(sampleRate: 48000)
        let left = UnsafeMutablePointer<Float>.allocate(capacity: 512)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: 512)
        defer { left.deallocate(); right.deallocate() }
        while sequencer.render(&first, left: left, right: right, frameCount: 512) {}
        sequencer.reset()
        #expect(sequencer.position == 0)
        #expect(!sequencer.isFinished)
        while sequencer.render(&second, left: left, right: right, frameCount: 300) {}
        #expect(first.received.map(\.frame) == second.received.map(\.frame))
        #expect(first.received.map(\.message) == second.received.map(\.message))
    }

    @Test func emptyFileFinishesAtOnce() throws {
        let file = try MidiFile(bytes: MidiTestFile.header(trackCount: 0))
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: 48000)
        var engine = CountingEngine(sampleRate: 48000)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        #expect(sequencer.isFinished)
        #expect(!sequencer.render(&engine, left: buffer, right: buffer, frameCount: 64))
        #expect(engine.framesRendered == 64)
    }

    @Test func absurdlyLongFileDoesNotOverflow() throws {
        // Slowest tempo, 1 tick per quarter, 50 000 maximal deltas: about 8e11 seconds.
        var data = MidiTestFile.tempo(microseconds: 0xFF_FFFF) + [0x00, 0x90, 60, 1]
        for _ in 0..<50_000 { data += [0xFF, 0xFF, 0xFF, 0x7F, 0xC0, 0x00] }
        let file = try MidiFile(bytes: MidiTestFile.file(division: 1, tracks: [data + MidiTestFile.endOfTrack]))
        #expect(file.duration > 1e11)
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: 1_000_000)
        var engine = CountingEngine(sampleRate: 1_000_000)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        #expect(sequencer.render(&engine, left: buffer, right: buffer, frameCount: 64))
        #expect(engine.messagesReceived == 1)
    }

    @Test func renderAllocatesNothingPerBlock() throws {
        let file = try MidiFile(bytes: ExampleMidiFiles.dense())
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: 48000)
        var engine = CountingEngine(sampleRate: 48000)
        let left = UnsafeMutablePointer<Float>.allocate(capacity: 256)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: 256)
        defer { left.deallocate(); right.deallocate() }
        sequencer.render(&engine, left: left, right: right, frameCount: 256)
        attacca_allocation_counter_start()
        while sequencer.render(&engine, left: left, right: right, frameCount: 256) {}
        let allocations = attacca_allocation_counter_stop()
        #expect(allocations == 0)
        #expect(engine.messagesReceived == file.events.count)
    }
}
