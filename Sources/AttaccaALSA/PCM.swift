import CALSA
import Glibc

/// A playback PCM opened through alsa-lib and configured for the audio loop: interleaved
/// read/write access, an exact period size and count (a refused value is an error that says
/// what the device accepts, never a silent change), CLOCK_MONOTONIC timestamps, and a start
/// threshold of one full buffer so the loop's prefill starts it.
///
/// alsa-lib's `null` plugin swallows data instantly; on it `PCM` paces itself with the clock
/// as a real card would, so `attacca play --device null` runs in real time.
public struct PCM: ~Copyable, @unchecked Sendable {
    private let handle: OpaquePointer
    private let statusRecord: OpaquePointer
    public let configuration: PCMConfiguration
    /// True on the null plugin: `waitAvailable` and `drain` follow the clock instead.
    public let isPacedByClock: Bool
    // Plain copies of the configuration for the audio thread (the struct holds a String).
    private let rate: Int64
    private let periodFrames: Int
    private let bufferFrames: Int
    private var pacedStart: Int64 = -1
    private var pacedWritten = 0

    /// Opens `requested.device` and negotiates the rest of `requested`.
    public init(_ requested: PCMConfiguration) throws(ALSAError) {
        let name = requested.device
        var opened: OpaquePointer?
        // Non-blocking open: a busy hw device then fails with EBUSY instead of waiting forever.
        try ALSAError.check(snd_pcm_open(&opened, name, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK), "snd_pcm_open",
                            "cannot open PCM device '\(name)'")
        guard let handle = opened else { throw ALSAError(code: -ENODEV, call: "snd_pcm_open") }
        var record: OpaquePointer?
        guard snd_pcm_status_malloc(&record) >= 0, let record else {
            snd_pcm_close(handle)
            throw ALSAError(code: -ENOMEM, call: "snd_pcm_status_malloc")
        }
        let negotiated: PCMConfiguration
        do {
            try ALSAError.check(snd_pcm_nonblock(handle, 0), "snd_pcm_nonblock")
            negotiated = try Self.negotiate(handle, requested)
            try Self.configureSoftware(handle, negotiated)
        } catch {
            snd_pcm_status_free(record)
            snd_pcm_close(handle)
            throw error
        }
        self.configuration = negotiated
        self.rate = Int64(negotiated.rate)
        self.periodFrames = negotiated.periodSize
        self.bufferFrames = negotiated.bufferSize
        self.handle = handle
        self.statusRecord = record
        self.isPacedByClock = snd_pcm_type(handle) == SND_PCM_TYPE_NULL
    }

    deinit {
        snd_pcm_close(handle)
        snd_pcm_status_free(statusRecord)
    }

    // MARK: Negotiation

    private static func negotiate(_ pcm: OpaquePointer, _ requested: PCMConfiguration) throws(ALSAError) -> PCMConfiguration {
        var params: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&params) >= 0, let hw = params else {
            throw ALSAError(code: -ENOMEM, call: "snd_pcm_hw_params_malloc")
        }
        defer { snd_pcm_hw_params_free(hw) }
        let device = "PCM device '\(requested.device)'"
        var result = requested
        try ALSAError.check(snd_pcm_hw_params_any(pcm, hw), "snd_pcm_hw_params_any", "\(device) has no playback configuration")
        try ALSAError.check(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED),
                            "snd_pcm_hw_params_set_access", "\(device) does not take interleaved writes")

        let offered = PCMFormat.allCases.filter { snd_pcm_hw_params_test_format(pcm, hw, $0.alsaFormat) == 0 }
        let offeredNames = offered.isEmpty ? "none Attacca writes" : offered.map(\.alsaName).joined(separator: ", ")
        if let format = requested.format {
            guard offered.contains(format) else {
                throw ALSAError(code: -EINVAL, call: "snd_pcm_hw_params_set_format",
                                detail: "\(device) does not take format \(format.alsaName); it takes \(offeredNames)")
            }
            result.format = format
        } else {
            guard let format = PCMFormat.preference.first(where: offered.contains) else {
                throw ALSAError(code: -EINVAL, call: "snd_pcm_hw_params_set_format",
                                detail: "\(device) takes none of the formats Attacca writes (S16, S24, S32, FLOAT)")
            }
            result.format = format
        }
        try ALSAError.check(snd_pcm_hw_params_set_format(pcm, hw, result.sampleFormat.alsaFormat), "snd_pcm_hw_params_set_format")

        // Stereo; a device that only takes more channels gets silence on the others, a mono one the mix.
        var minChannels: UInt32 = 0, maxChannels: UInt32 = 0
        snd_pcm_hw_params_get_channels_min(hw, &minChannels)
        snd_pcm_hw_params_get_channels_max(hw, &maxChannels)
        if snd_pcm_hw_params_test_channels(pcm, hw, UInt32(requested.channels)) != 0 {
            guard minChannels >= 1, minChannels <= 64 else {
                throw ALSAError(code: -EINVAL, call: "snd_pcm_hw_params_set_channels",
                                detail: "\(device) refuses \(requested.channels) channels; it takes \(minChannels)...\(maxChannels)")
            }
            result.channels = Int(requested.channels > Int(maxChannels) ? maxChannels : minChannels)
        }
        try ALSAError.check(snd_pcm_hw_params_set_channels(pcm, hw, UInt32(result.channels)), "snd_pcm_hw_params_set_channels")

        var minRate: UInt32 = 0, maxRate: UInt32 = 0, dir: Int32 = 0
        snd_pcm_hw_params_get_rate_min(hw, &minRate, &dir)
        snd_pcm_hw_params_get_rate_max(hw, &maxRate, &dir)
        let rateCode = snd_pcm_hw_params_set_rate(pcm, hw, UInt32(requested.rate), 0)
        try ALSAError.check(rateCode, "snd_pcm_hw_params_set_rate",
                            "\(device) refuses \(requested.rate) Hz; it takes \(range(minRate, maxRate)) Hz")

        var minPeriod: snd_pcm_uframes_t = 0, maxPeriod: snd_pcm_uframes_t = 0
        snd_pcm_hw_params_get_period_size_min(hw, &minPeriod, &dir)
        snd_pcm_hw_params_get_period_size_max(hw, &maxPeriod, &dir)
        let periodCode = snd_pcm_hw_params_set_period_size(pcm, hw, snd_pcm_uframes_t(requested.periodSize), 0)
        try ALSAError.check(periodCode, "snd_pcm_hw_params_set_period_size",
                            "\(device) refuses a period of \(requested.periodSize) frames at \(requested.rate) Hz; it takes \(range(minPeriod, maxPeriod)) frames")

        var minPeriods: UInt32 = 0, maxPeriods: UInt32 = 0
        snd_pcm_hw_params_get_periods_min(hw, &minPeriods, &dir)
        snd_pcm_hw_params_get_periods_max(hw, &maxPeriods, &dir)
        let periodsCode = snd_pcm_hw_params_set_periods(pcm, hw, UInt32(requested.periodCount), 0)
        try ALSAError.check(periodsCode, "snd_pcm_hw_params_set_periods",
                            "\(device) refuses \(requested.periodCount) periods of \(requested.periodSize) frames; it takes \(range(minPeriods, maxPeriods)) periods")

        try ALSAError.check(snd_pcm_hw_params(pcm, hw), "snd_pcm_hw_params", "\(device) refused the configuration")
        return result
    }

    private static func range<T: BinaryInteger>(_ low: T, _ high: T) -> String {
        low == high ? "\(low)" : "\(low)...\(high)"
    }

    private static func configureSoftware(_ pcm: OpaquePointer, _ configuration: PCMConfiguration) throws(ALSAError) {
        var params: OpaquePointer?
        guard snd_pcm_sw_params_malloc(&params) >= 0, let sw = params else {
            throw ALSAError(code: -ENOMEM, call: "snd_pcm_sw_params_malloc")
        }
        defer { snd_pcm_sw_params_free(sw) }
        try ALSAError.check(snd_pcm_sw_params_current(pcm, sw), "snd_pcm_sw_params_current")
        try ALSAError.check(snd_pcm_sw_params_set_start_threshold(pcm, sw, snd_pcm_uframes_t(configuration.bufferSize)),
                            "snd_pcm_sw_params_set_start_threshold")
        try ALSAError.check(snd_pcm_sw_params_set_avail_min(pcm, sw, snd_pcm_uframes_t(configuration.periodSize)),
                            "snd_pcm_sw_params_set_avail_min")
        try ALSAError.check(snd_pcm_sw_params_set_tstamp_mode(pcm, sw, SND_PCM_TSTAMP_ENABLE), "snd_pcm_sw_params_set_tstamp_mode")
        try ALSAError.check(snd_pcm_sw_params_set_tstamp_type(pcm, sw, SND_PCM_TSTAMP_TYPE_MONOTONIC),
                            "snd_pcm_sw_params_set_tstamp_type")
        try ALSAError.check(snd_pcm_sw_params(pcm, sw), "snd_pcm_sw_params")
    }

    // MARK: The calls the audio loop makes

    @_noLocks
    public mutating func waitAvailable(timeoutMilliseconds: Int32) -> Int {
        if isPacedByClock { return pacedWait(timeoutMilliseconds: timeoutMilliseconds) }
        let pcm = handle
        let waited = _unsafePerformance { snd_pcm_wait(pcm, timeoutMilliseconds) }
        if waited < 0 { return Int(waited) }
        if waited == 0 { return 0 }
        return _unsafePerformance { snd_pcm_avail_update(pcm) }
    }

    @_noLocks
    public mutating func write(_ buffer: UnsafeRawPointer, frameCount: Int) -> Int {
        let pcm = handle
        let count = snd_pcm_uframes_t(frameCount)
        let written = _unsafePerformance { snd_pcm_writei(pcm, buffer, count) }
        if isPacedByClock && written > 0 {
            if pacedStart < 0 { pacedStart = now() }
            pacedWritten += written
        }
        return written
    }

    @_noLocks
    public mutating func readStatus(into status: inout PCMStatus) -> Int32 {
        if isPacedByClock { return pacedStatus(into: &status) }
        let pcm = handle
        let record = statusRecord
        let code = _unsafePerformance { snd_pcm_status(pcm, record) }
        if code < 0 { return code }
        var stamp = snd_htimestamp_t()
        _unsafePerformance {
            snd_pcm_status_get_htstamp(record, &stamp)
            status.delay = snd_pcm_status_get_delay(record)
            status.available = Int(snd_pcm_status_get_avail(record))
            status.state = Int32(bitPattern: snd_pcm_status_get_state(record).rawValue)
        }
        status.timestampNanoseconds = Int64(stamp.tv_sec) * 1_000_000_000 + Int64(stamp.tv_nsec)
        return 0
    }

    @_noLocks
    public mutating func recover(from error: Int32) -> Int32 {
        let pcm = handle
        pacedStart = -1
        pacedWritten = 0
        return _unsafePerformance { snd_pcm_recover(pcm, error, 1) }
    }

    @_noLocks
    public func now() -> Int64 { MonotonicClock.now() }

    @_noLocks
    public mutating func sleep(untilNanoseconds nanoseconds: Int64) { sleep(until: nanoseconds) }

    @_noLocks
    public mutating func drain() {
        if isPacedByClock {
            if pacedStart >= 0 { sleep(until: pacedStart + nanoseconds(frames: pacedWritten)) }
            pacedStart = -1
            pacedWritten = 0
        }
        let pcm = handle
        _ = _unsafePerformance { snd_pcm_drain(pcm) }
    }

    /// Drops what is queued and stops at once.
    public mutating func stop() {
        let pcm = handle
        _ = snd_pcm_drop(pcm)
    }

    // MARK: Pacing the null plugin

    @_noLocks
    private func nanoseconds(frames: Int) -> Int64 {
        Int64(frames) * 1_000_000_000 / rate
    }

    /// Frames the buffer has room for if a card were playing it since the first write, or
    /// -EPIPE when a card would have run dry (counted as an xrun like on hardware).
    @_noLocks
    private mutating func pacedAvailable() -> Int {
        guard pacedStart >= 0 else { return bufferFrames - pacedWritten }
        let played = Int((now() - pacedStart) * rate / 1_000_000_000)
        let queued = pacedWritten - played
        if queued < 0 { return -Int(EPIPE) }
        return bufferFrames - queued
    }

    /// The status a card would report: now, and the frames written but not yet "played".
    @_noLocks
    private mutating func pacedStatus(into status: inout PCMStatus) -> Int32 {
        let available = pacedAvailable()
        if available < 0 { return Int32(truncatingIfNeeded: available) }
        status.timestampNanoseconds = now()
        status.available = available
        status.delay = bufferFrames - available
        status.state = Int32(bitPattern: SND_PCM_STATE_RUNNING.rawValue)
        return 0
    }

    @_noLocks
    private mutating func pacedWait(timeoutMilliseconds: Int32) -> Int {
        let deadline = now() + Int64(timeoutMilliseconds) * 1_000_000
        while true {
            let available = pacedAvailable()
            if available < 0 || available >= periodFrames || pacedStart < 0 { return available }
            let wake = min(now() + nanoseconds(frames: periodFrames - available) + 1000, deadline)
            sleep(until: wake)
            if now() >= deadline { return 0 }
        }
    }

    @_noLocks
    private func sleep(until nanoseconds: Int64) {
        var time = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        _ = _unsafePerformance { clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) }
    }
}
