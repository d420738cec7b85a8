// libFuzzer entry point for the MIDI file reader. Compiled into the AttaccaCore module by
// Tests/Fuzz/run (not part of the Swift package): parses the input as `MidiFile(bytes:)`, checks
// the timeline it promises, then plays it the way `attacca play` does, through a
// `MidiFileSequencer` into an engine that only checks what it is sent. Work per input is bounded:
// a fixed number of small blocks at a normal and at a very low sample rate (the latter reaches
// events minutes into the file).

@_cdecl("LLVMFuzzerTestOneInput")
public func midiFileFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let file: MidiFile
    do {
        file = try MidiFile(bytes: bytes)
    } catch {
        precondition(!error.description.isEmpty, "empty error text")
        return 0
    }
    MidiFileFuzzPlay.check(file, size: size)
    MidiFileFuzzPlay.play(file, sampleRate: 48_000, blocks: 24, blockSize: 128)
    MidiFileFuzzPlay.play(file, sampleRate: 50, blocks: 24, blockSize: 200)
    return 0
}

enum MidiFileFuzzPlay {
    /// What the parsed file promises about itself.
    static func check(_ file: MidiFile, size: Int) {
        precondition(file.format == 0 || file.format == 1, "format \(file.format)")
        precondition(file.eventCount <= size, "\(file.eventCount) events from \(size) bytes")
        precondition(file.events.count == file.eventCount, "\(file.events.count) events, eventCount \(file.eventCount)")
        precondition(file.duration.isFinite && file.duration >= 0, "duration \(file.duration)")
        switch file.division {
        case .ticksPerQuarterNote(let ticks): precondition(ticks > 0 && file.resolution == ticks)
        case .smpte(_, let ticksPerFrame): precondition(ticksPerFrame > 0 && file.resolution == 0)
        }
        var previous = (tick: 0, time: 0.0)
        for event in file.events {
            precondition(event.time.isFinite && event.time >= previous.time && event.time <= file.duration,
                         "event time \(event.time) after \(previous.time), duration \(file.duration)")
            precondition(event.tick >= previous.tick, "ticks out of order")
            precondition(event.track >= 0 && event.track < file.trackCount, "track \(event.track) of \(file.trackCount)")
            let message = event.message
            if message != .systemReset && !message.isSysexPiece {
                precondition(message.status >= 0x80 && message.status < 0xF0 && message.data1 < 0x80 && message.data2 < 0x80,
                             "message \(message)")
            }
            previous = (event.tick, event.time)
        }
        var previousTempoTime = 0.0
        for change in file.tempoChanges {
            precondition(change.time.isFinite && change.time >= previousTempoTime && change.microsecondsPerQuarterNote > 0)
            previousTempoTime = change.time
        }
    }

    /// Renders `blocks` blocks of `blockSize` frames (the last few of odd sizes), then starts
    /// again from the beginning and renders one more block.
    static func play(_ file: MidiFile, sampleRate: Int, blocks: Int, blockSize: Int) {
        var sequencer = MidiFileSequencer(midiFile: file, sampleRate: sampleRate)
        var engine = FuzzCheckingEngine(sampleRate: sampleRate, capacity: blockSize)
        var sent = 0
        for block in 0..<blocks {
            let frames = block < blocks - 3 ? blockSize : [1, blockSize - 1, 0][block - (blocks - 3)]
            engine.beginBlock(frameCount: frames)
            let more = sequencer.render(&engine, left: engine.left, right: engine.right, frameCount: frames)
            engine.endBlock()
            precondition(sequencer.eventsSent >= sent && sequencer.eventsSent <= file.eventCount, "events sent \(sequencer.eventsSent)")
            precondition(engine.messagesReceived == sequencer.eventsSent, "\(engine.messagesReceived) messages, \(sequencer.eventsSent) sent")
            precondition(more == !sequencer.isFinished)
            sent = sequencer.eventsSent
            if !more { break }
        }
        sequencer.reset()
        engine.messagesReceived = 0
        engine.beginBlock(frameCount: blockSize)
        sequencer.render(&engine, left: engine.left, right: engine.right, frameCount: blockSize)
        engine.endBlock()
        precondition(engine.messagesReceived == sequencer.eventsSent)
    }
}

/// A `SoundEngine` that writes silence and checks that every render call stays inside the
/// block it was given and that the sub-blocks add up to the whole block.
struct FuzzCheckingEngine: ~Copyable, SoundEngine {
    let sampleRate: Int
    var activeVoiceCount: Int { 0 }
    let left: UnsafeMutablePointer<Float>
    let right: UnsafeMutablePointer<Float>
    let capacity: Int
    var messagesReceived = 0
    private var blockFrames = 0
    private var framesRendered = 0

    init(sampleRate: Int, capacity: Int) {
        self.sampleRate = sampleRate
        self.capacity = capacity
        left = .allocate(capacity: capacity)
        right = .allocate(capacity: capacity)
    }

    deinit {
        left.deallocate()
        right.deallocate()
    }

    mutating func beginBlock(frameCount: Int) {
        precondition(frameCount <= capacity)
        blockFrames = frameCount
        framesRendered = 0
    }

    mutating func endBlock() {
        precondition(framesRendered == blockFrames, "rendered \(framesRendered) of \(blockFrames) frames")
    }

    mutating func send(_ message: MidiMessage) {
        messagesReceived += 1
    }

    mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        precondition(frameCount > 0, "render of \(frameCount) frames")
        precondition(left == self.left + framesRendered && right == self.right + framesRendered, "sub-block out of place")
        precondition(framesRendered + frameCount <= blockFrames, "render past the block")
        left.update(repeating: 0, count: frameCount)
        right.update(repeating: 0, count: frameCount)
        framesRendered += frameCount
    }
}
