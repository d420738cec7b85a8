#if canImport(Glibc)
import Glibc
#endif

/// A Standard MIDI File (format 0 or 1) as one timeline: the channel messages of all tracks,
/// merged and timed in seconds, ready for `MidiFileSequencer`.
///
/// Choices where the SMF spec leaves room:
/// - Note-on with velocity 0 stays a note-on with velocity 0 (both engines treat it as note-off),
///   so the events are exactly what the file says.
/// - Events at the same tick keep track order, then file order within a track.
/// - A header declaring more tracks than the file holds is accepted when the file ends cleanly
///   between chunks; `trackCount` is the number of MTrk chunks read.
/// - A track without End of Track ends with its last event; chunks other than MTrk are skipped.
/// - Sysex events become `MidiMessage.sysex` pieces (the engine acts on GM/GS/XG resets, MIDI
///   Tuning Standard, master volume, GS rhythm parts); meta events other than tempo are skipped.
public struct MidiFile: Sendable {
    /// Files larger than this are refused before reading (64 MiB; real MIDI files are far smaller).
    public static let maximumFileSize = 64 << 20

    /// 0 (one track) or 1 (simultaneous tracks).
    public let format: Int
    /// MTrk chunks read.
    public let trackCount: Int
    /// The header's time division.
    public let division: Division
    /// Ticks per quarter note; 0 for SMPTE-timed files (see `division`).
    public let resolution: Int
    /// Channel messages (and resets) in all tracks.
    public let eventCount: Int
    /// Seconds to the latest event of any track, End of Track included.
    public let duration: Double

    /// The file's bytes, decoded again by each `EventIterator`.
    private let bytes: [UInt8]
    private let readers: [MidiTrackReader]

    /// All tracks' channel messages, sorted by tick, then track, then order in the track, as
    /// one array (built on each call: for a whole file at once, iterate `makeEventIterator()`,
    /// which holds nothing per event).
    public var events: [Event] {
        var result: [Event] = []
        result.reserveCapacity(eventCount)
        var iterator = makeEventIterator()
        while let event = iterator.next() { result.append(event) }
        return result
    }

    /// Set Tempo events of all tracks in the order they take effect.
    public var tempoChanges: [TempoChange] {
        var result: [TempoChange] = []
        var iterator = makeEventIterator()
        while let change = iterator.nextTempoChange() { result.append(change) }
        return result
    }

    /// The events in timeline order, decoded from the file as they are taken.
    public func makeEventIterator() -> EventIterator {
        EventIterator(bytes: bytes, readers: readers, division: division)
    }

    /// Parses a file in memory. Every event is checked here; none is stored (memory stays about
    /// the file's size plus a few dozen bytes per track).
    public init(bytes: [UInt8]) throws(MidiFileError) {
        let parsed = try MidiFileParser(bytes: bytes)
        format = parsed.format
        trackCount = parsed.trackCount
        division = parsed.division
        if case let .ticksPerQuarterNote(ticks) = parsed.division { resolution = ticks } else { resolution = 0 }
        eventCount = parsed.eventCount
        self.bytes = bytes
        readers = parsed.readers
        // The duration needs every tempo before the end: one pass over the merged tracks.
        var iterator = EventIterator(bytes: bytes, readers: parsed.readers, division: parsed.division)
        while iterator.nextTempoChange() != nil {}
        duration = iterator.seconds(atTick: parsed.endTick)
    }

    /// Reads and parses the file at `path`.
    public init(path: String) throws(MidiFileError) {
        try self.init(bytes: Self.readFile(path: path))
    }

    /// Reads a whole file with POSIX calls (no Foundation). Opened non-blocking so a FIFO
    /// without a writer cannot hang the caller (it reads as empty); from a pipe whose writer is
    /// slow, `read` says EAGAIN until data comes, so the loop waits in `poll` (SIGINT still ends
    /// the process: no handler is installed yet). Reading stops past `maximumFileSize`.
    private static func readFile(path: String) throws(MidiFileError) -> [UInt8] {
        func failure() -> MidiFileError {
            .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure() }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure() }
        guard Int(status.st_size) <= maximumFileSize else {
            throw .fileTooLarge(path: path, size: Int(status.st_size))
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&request, 1, -1)
                    continue
                }
                throw failure()
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maximumFileSize else { throw .fileTooLarge(path: path, size: bytes.count) }
        }
    }
}
