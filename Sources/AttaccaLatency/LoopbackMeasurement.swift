import AttaccaALSA
import AttaccaCore
import Glibc

/// The measurement from outside, like jack_iodelay but from MIDI to sound: sends note-ons to a
/// synthesizer's sequencer port, captures its output, finds each onset (`OnsetDetector`) and
/// maps the onset's capture frame to CLOCK_MONOTONIC (`CapturePCM.captureTime`, calibrated on a
/// step of the capture pointer just before each note); latency is
/// onset time − send time. Before each note it waits for silence, then for a varying
/// fraction of two capture periods, so notes fall at every phase of the period grid.
public struct LoopbackMeasurement {
    public let settings: LoopbackSettings
    public private(set) var collector = LatencyCollector()
    public private(set) var unmeasured = 0
    public private(set) var overruns = 0
    /// The same notes by the plain onset (`LoopbackNote.levelLatency`).
    public private(set) var levelCollector = LatencyCollector()
    public private(set) var perNote: [LoopbackNote] = []

    public init(settings: LoopbackSettings) {
        self.settings = settings
    }

    /// Runs every note; `progress` is told after each (its index, the latency in ns or nil).
    public mutating func run(progress: (Int, Int64?) -> Void = { _, _ in }) throws(ALSAError) {
        let sequencer = try Sequencer(clientName: "latency-loopback", portName: "latency-loopback out")
        let target = try sequencer.resolve(settings.target)
        let rawMidi = settings.input == .rawmidi ? try RawMidiOutput(device: settings.rawMidiDevice) : nil
        var capture = try CapturePCM(device: settings.capture, rate: settings.rate, periodSize: settings.periodSize)
        // 20 ms of walk back: a piano sample that spends its first 9 ms below -60 dBFS (TimGM6mb,
        // keys 65-69) still walks back to where the voice began.
        var detector = OnsetDetector(thresholdDecibels: settings.thresholdDecibels, maximumWalkBack: 960)
        let chunk = UnsafeMutablePointer<Float>.allocate(capacity: settings.periodSize)
        defer { chunk.deallocate() }
        let rate = Int64(settings.rate)
        let silenceFrames = Int64(settings.silenceMilliseconds) * rate / 1000
        let periodNanoseconds = Int64(settings.periodSize) * 1_000_000_000 / rate
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        let level = settings.levelThreshold
        /// The plain onset of the note in flight: its time, from the status read after its chunk.
        var levelArmed = false
        var levelTime: Int64?

        /// One period into the detector; the onset index if it found one; nil on overrun too.
        func readChunk(_ capture: inout CapturePCM, _ detector: inout OnsetDetector) -> (read: Bool, onset: Int64?) {
            let start = capture.framesRead
            let count = capture.read(into: chunk)
            if count < 0 {
                overruns += 1
                detector.restart(at: capture.framesRead)
                return (false, nil)
            }
            if levelArmed, let index = (0..<count).first(where: { abs(chunk[$0]) > level }) {
                levelArmed = false
                levelTime = capture.captureTimeByStatus(ofFrame: start + Int64(index))
            }
            return (true, detector.append(UnsafeBufferPointer(start: chunk, count: count), startingAt: start))
        }

        /// Sends `message` the way `settings.input` says; returns when it is due (CLOCK_MONOTONIC).
        func send(_ message: MidiMessage) -> Int64 {
            switch settings.input {
            case .sequencer:
                let sent = MonotonicClock.now()
                _ = sequencer.send(message, to: target)
                return sent
            case .rawmidi:
                let sent = MonotonicClock.now()
                rawMidi?.send(message)
                return sent
            case .queue:
                // On the sender's queue, a little ahead; its time mapped to CLOCK_MONOTONIC by the
                // queue's clock read between two readings of the monotonic one.
                let before = MonotonicClock.now()
                guard let queueNow = sequencer.queueNanoseconds() else {
                    _ = sequencer.send(message, to: target)
                    return before
                }
                let after = MonotonicClock.now()
                let due = queueNow + Self.queueAheadNanoseconds
                _ = sequencer.schedule(message, to: target, atQueueNanoseconds: due)
                return due - queueNow + before + (after - before) / 2
            }
        }

        if let program = settings.program { _ = send(.programChange(channel: settings.channel, program: program)) }
        for index in 0..<settings.notes {
            // Silence first (one 16-bit step at most) for silenceMilliseconds, at most 5 s (then below the threshold will do).
            let waitLimit = capture.framesRead + 5 * rate
            while detector.silentFrames < silenceFrames && !(capture.framesRead > waitLimit && detector.quietFrames >= silenceFrames) {
                _ = readChunk(&capture, &detector)
                if capture.framesRead > waitLimit + 5 * rate { break }
            }
            // Pin the capture clock before the note (the pointer moves in steps on snd-aloop); this
            // ends on a pointer step, so the pause after it sets the note's phase.
            _ = capture.calibrate()
            // A varying phase against the period grid: sleep 0...2 periods.
            random = random &* 6364136223846793005 &+ 1442695040888963407
            let pause = Int64(random >> 33) % (2 * periodNanoseconds)
            var time = timespec(tv_sec: 0, tv_nsec: Int(pause))
            nanosleep(&time, nil)

            let key = settings.key(ofNote: index)
            detector.arm()
            levelArmed = true
            levelTime = nil
            let sent = send(.noteOn(channel: settings.channel, key: key, velocity: settings.velocity))
            let deadline = capture.framesRead + Int64(settings.timeoutMilliseconds) * rate / 1000 + 64 * Int64(settings.periodSize)
            // Until both onsets are found (the plain one can come later: a sample that rises
            // slowly), or the timeout.
            var latency: Int64?
            var found = false
            while capture.framesRead < deadline && (!found || levelArmed) {
                let (read, onset) = readChunk(&capture, &detector)
                if !read { break }
                if let onset {
                    found = true
                    if let heard = capture.captureTime(ofFrame: onset) { latency = heard - sent }
                }
            }
            levelArmed = false
            // Hold, then release.
            let holdEnd = capture.framesRead + Int64(settings.holdMilliseconds) * rate / 1000
            while capture.framesRead < holdEnd { if !readChunk(&capture, &detector).read { break } }
            _ = send(.noteOff(channel: settings.channel, key: key))
            if let latency { collector.addTotal(nanoseconds: latency) } else { unmeasured += 1 }
            let levelLatency = levelTime.map { $0 - sent }
            if let levelLatency { levelCollector.addTotal(nanoseconds: levelLatency) }
            perNote.append(LoopbackNote(key: key, latency: latency.map { Double($0) / 1e6 },
                                        levelLatency: levelLatency.map { Double($0) / 1e6 }))
            progress(index, latency)
        }
    }

    /// How far ahead `.queue` schedules each note.
    public static let queueAheadNanoseconds: Int64 = 20_000_000

    /// The report in the same form as the player's instrumentation (the total only: from
    /// outside the stages cannot be told apart).
    public func report() -> LatencyReport {
        let setup = LatencySetup(source: "loopback to \(settings.target)", device: settings.capture, rate: settings.rate,
                                 periodSize: settings.targetPeriodSize, periodCount: settings.targetPeriodCount, mode: "")
        var report = collector.report(setup: setup, unmeasured: unmeasured, xruns: overruns)
        report.unheard = unmeasured
        report.levelOnset = LatencySummary(nanoseconds: levelCollector.total)
        report.levelOnsetThreshold = Double(settings.levelThreshold)
        report.loopbackNotes = perNote
        report.input = settings.input.rawValue
        return report
    }
}
