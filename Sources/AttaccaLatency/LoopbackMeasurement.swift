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

    public init(settings: LoopbackSettings) {
        self.settings = settings
    }

    /// Runs every note; `progress` is told after each (its index, the latency in ns or nil).
    public mutating func run(progress: (Int, Int64?) -> Void = { _, _ in }) throws(ALSAError) {
        let sequencer = try Sequencer(clientName: "latency-loopback", portName: "latency-loopback out")
        let target = try sequencer.resolve(settings.target)
        var capture = try CapturePCM(device: settings.capture, rate: settings.rate, periodSize: settings.periodSize)
        var detector = OnsetDetector(thresholdDecibels: settings.thresholdDecibels)
        let chunk = UnsafeMutablePointer<Float>.allocate(capacity: settings.periodSize)
        defer { chunk.deallocate() }
        let rate = Int64(settings.rate)
        let silenceFrames = Int64(settings.silenceMilliseconds) * rate / 1000
        let periodNanoseconds = Int64(settings.periodSize) * 1_000_000_000 / rate
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15

        /// One period into the detector; the onset index if it found one; nil on overrun too.
        func readChunk(_ capture: inout CapturePCM, _ detector: inout OnsetDetector) -> (read: Bool, onset: Int64?) {
            let start = capture.framesRead
            let count = capture.read(into: chunk)
            if count < 0 {
                overruns += 1
                detector.restart(at: capture.framesRead)
                return (false, nil)
            }
            return (true, detector.append(UnsafeBufferPointer(start: chunk, count: count), startingAt: start))
        }

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

            detector.arm()
            let sent = MonotonicClock.now()
            _ = sequencer.send(.noteOn(channel: settings.channel, key: settings.key, velocity: settings.velocity), to: target)
            let deadline = capture.framesRead + Int64(settings.timeoutMilliseconds) * rate / 1000 + 64 * Int64(settings.periodSize)
            var latency: Int64?
            while capture.framesRead < deadline {
                let (read, onset) = readChunk(&capture, &detector)
                if !read { break }
                if let onset {
                    if let heard = capture.captureTime(ofFrame: onset) { latency = heard - sent }
                    break
                }
            }
            // Hold, then release.
            let holdEnd = capture.framesRead + Int64(settings.holdMilliseconds) * rate / 1000
            while capture.framesRead < holdEnd { if !readChunk(&capture, &detector).read { break } }
            _ = sequencer.send(.noteOff(channel: settings.channel, key: settings.key), to: target)
            if let latency { collector.addTotal(nanoseconds: latency) } else { unmeasured += 1 }
            progress(index, latency)
        }
    }

    /// The report in the same form as the player's instrumentation (the total only: from
    /// outside the stages cannot be told apart).
    public func report() -> LatencyReport {
        let setup = LatencySetup(source: "loopback to \(settings.target)", device: settings.capture, rate: settings.rate,
                                 periodSize: settings.targetPeriodSize, periodCount: settings.targetPeriodCount, mode: "")
        return collector.report(setup: setup, unmeasured: unmeasured, xruns: overruns)
    }
}
