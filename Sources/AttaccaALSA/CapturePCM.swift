import CALSA
import Glibc

/// A capture PCM for measuring from outside (`attacca latency --loopback`): interleaved reads
/// in whatever format the device takes (on snd-aloop, the one its playback side uses), mixed
/// to mono floats, and the frame-to-clock mapping from the status (CLOCK_MONOTONIC htstamp).
/// Not for the audio thread: it allocates while it opens, and reads block.
public struct CapturePCM: ~Copyable {
    private let handle: OpaquePointer
    private let statusRecord: OpaquePointer
    public let format: PCMFormat
    public let channels: Int
    public let rate: Int
    public let periodSize: Int
    private var raw: [UInt8]
    /// Frames read since the start: the stream index of the next frame `read` returns.
    public private(set) var framesRead: Int64 = 0

    /// Opens `device` at `rate` with periods of `periodSize` frames and a buffer of `periodCount`
    /// of them, and starts it.
    public init(device: String, rate: Int, periodSize: Int, periodCount: Int = 32, channels: Int = 2) throws(ALSAError) {
        var opened: OpaquePointer?
        try ALSAError.check(snd_pcm_open(&opened, device, SND_PCM_STREAM_CAPTURE, 0), "snd_pcm_open",
                            "cannot open capture device '\(device)'")
        guard let handle = opened else { throw ALSAError(code: -ENODEV, call: "snd_pcm_open") }
        var record: OpaquePointer?
        guard snd_pcm_status_malloc(&record) >= 0, let record else {
            snd_pcm_close(handle)
            throw ALSAError(code: -ENOMEM, call: "snd_pcm_status_malloc")
        }
        let negotiated: PCMFormat
        do {
            negotiated = try Self.configure(handle, device: device, rate: rate, periodSize: periodSize,
                                            periodCount: periodCount, channels: channels)
            try ALSAError.check(snd_pcm_start(handle), "snd_pcm_start", "cannot start capture device '\(device)'")
        } catch {
            snd_pcm_status_free(record)
            snd_pcm_close(handle)
            throw error
        }
        self.format = negotiated
        self.handle = handle
        self.statusRecord = record
        self.channels = channels
        self.rate = rate
        self.periodSize = periodSize
        raw = [UInt8](repeating: 0, count: periodSize * channels * 4)
    }

    deinit {
        snd_pcm_close(handle)
        snd_pcm_status_free(statusRecord)
    }

    private static func configure(_ pcm: OpaquePointer, device: String, rate: Int, periodSize: Int, periodCount: Int,
                                  channels: Int) throws(ALSAError) -> PCMFormat {
        var params: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&params) >= 0, let hw = params else { throw ALSAError(code: -ENOMEM, call: "snd_pcm_hw_params_malloc") }
        defer { snd_pcm_hw_params_free(hw) }
        let name = "capture device '\(device)'"
        try ALSAError.check(snd_pcm_hw_params_any(pcm, hw), "snd_pcm_hw_params_any", "\(name) has no capture configuration")
        try ALSAError.check(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "snd_pcm_hw_params_set_access")
        guard let format = [PCMFormat.s32, .s16, .float, .s24].first(where: { snd_pcm_hw_params_test_format(pcm, hw, $0.alsaFormat) == 0 }) else {
            throw ALSAError(code: -EINVAL, call: "snd_pcm_hw_params_set_format", detail: "\(name) takes none of S32, S16, FLOAT, S24")
        }
        try ALSAError.check(snd_pcm_hw_params_set_format(pcm, hw, format.alsaFormat), "snd_pcm_hw_params_set_format")
        try ALSAError.check(snd_pcm_hw_params_set_channels(pcm, hw, UInt32(channels)), "snd_pcm_hw_params_set_channels",
                            "\(name) refuses \(channels) channels")
        try ALSAError.check(snd_pcm_hw_params_set_rate(pcm, hw, UInt32(rate), 0), "snd_pcm_hw_params_set_rate", "\(name) refuses \(rate) Hz")
        try ALSAError.check(snd_pcm_hw_params_set_period_size(pcm, hw, snd_pcm_uframes_t(periodSize), 0),
                            "snd_pcm_hw_params_set_period_size", "\(name) refuses a period of \(periodSize) frames")
        var buffer = snd_pcm_uframes_t(periodSize * periodCount)
        try ALSAError.check(snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer), "snd_pcm_hw_params_set_buffer_size_near")
        try ALSAError.check(snd_pcm_hw_params(pcm, hw), "snd_pcm_hw_params", "\(name) refused the configuration")

        var swParams: OpaquePointer?
        guard snd_pcm_sw_params_malloc(&swParams) >= 0, let sw = swParams else { throw ALSAError(code: -ENOMEM, call: "snd_pcm_sw_params_malloc") }
        defer { snd_pcm_sw_params_free(sw) }
        try ALSAError.check(snd_pcm_sw_params_current(pcm, sw), "snd_pcm_sw_params_current")
        try ALSAError.check(snd_pcm_sw_params_set_tstamp_mode(pcm, sw, SND_PCM_TSTAMP_ENABLE), "snd_pcm_sw_params_set_tstamp_mode")
        try ALSAError.check(snd_pcm_sw_params_set_tstamp_type(pcm, sw, SND_PCM_TSTAMP_TYPE_MONOTONIC), "snd_pcm_sw_params_set_tstamp_type")
        try ALSAError.check(snd_pcm_sw_params(pcm, sw), "snd_pcm_sw_params")
        return format
    }

    /// Reads one period (blocking), mixed to mono into `samples` (at least `periodSize`), and
    /// returns the frames read, or a negative errno; an overrun is recovered and reported as
    /// `-EPIPE` (the stream index then restarts from the recovered position).
    public mutating func read(into samples: UnsafeMutablePointer<Float>) -> Int {
        let frames = periodSize
        let got = raw.withUnsafeMutableBytes { snd_pcm_readi(handle, $0.baseAddress, snd_pcm_uframes_t(frames)) }
        if got < 0 {
            _ = snd_pcm_recover(handle, Int32(got), 1)
            _ = snd_pcm_start(handle)
            edgeFrame = -1  // the stream index no longer matches the device's: calibrate again
            return Int(got)
        }
        let count = Int(got)
        raw.withUnsafeBytes { bytes in
            for frame in 0..<count {
                var sum: Float = 0
                for channel in 0..<channels {
                    let index = frame * channels + channel
                    switch format {
                    case .s16: sum += Float(bytes.loadUnaligned(fromByteOffset: index * 2, as: Int16.self)) / 32768
                    case .s32, .s24:
                        let word = bytes.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)
                        sum += format == .s32 ? Float(word) / 2_147_483_648 : Float((word << 8) >> 8) / 8_388_608
                    case .float: sum += bytes.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
                    case .s24Packed: break
                    }
                }
                samples[frame] = sum / Float(channels)
            }
        }
        framesRead += Int64(count)
        return count
    }

    /// The last calibration: the stream index the hardware pointer had just reached, and when.
    private var edgeFrame: Int64 = -1
    private var edgeNanoseconds: Int64 = 0

    /// Pins the frame-to-clock mapping to a moment the hardware pointer moved. `htstamp` is taken
    /// when the status is read, but a device that moves its pointer in steps (snd-aloop on a
    /// timer moves it a period at a time) may have reached that position up to a step earlier;
    /// so this reads the status until `framesRead + avail` changes (at most ~3 periods of
    /// polling) and keeps that position with that stamp. Returns false if it never moved.
    public mutating func calibrate() -> Bool {
        guard let first = status() else { return false }
        let limit = first.stamp + 3 * Int64(periodSize) * 1_000_000_000 / Int64(max(rate, 1))
        while let next = status(), next.stamp <= limit {
            if next.position != first.position {
                edgeFrame = next.position
                edgeNanoseconds = next.stamp
                return true
            }
        }
        return false
    }

    /// (hardware pointer as a stream index = framesRead + avail, htstamp), or nil.
    private mutating func status() -> (position: Int64, stamp: Int64)? {
        guard snd_pcm_status(handle, statusRecord) >= 0 else { return nil }
        var stamp = snd_htimestamp_t()
        snd_pcm_status_get_htstamp(statusRecord, &stamp)
        let available = Int64(snd_pcm_status_get_avail(statusRecord))
        return (framesRead + available, Int64(stamp.tv_sec) * 1_000_000_000 + Int64(stamp.tv_nsec))
    }

    /// When the frame with stream index `index` was captured (CLOCK_MONOTONIC ns): from the last
    /// `calibrate()` when there was one, else from a status read now. At `htstamp` the device is
    /// capturing frame `framesRead + avail` (avail: frames captured and not yet read), and frames
    /// are `1/rate` apart. nil if the status cannot be read.
    public mutating func captureTime(ofFrame index: Int64) -> Int64? {
        if edgeFrame >= 0 {
            return edgeNanoseconds - (edgeFrame - index) * 1_000_000_000 / Int64(max(rate, 1))
        }
        guard let now = status() else { return nil }
        return Self.captureTime(ofFrame: index, statusNanoseconds: now.stamp, framesRead: framesRead, available: now.position - framesRead, rate: rate)
    }

    /// When frame `index` was captured by a status read now, never by the calibration: at
    /// `htstamp` the device is capturing frame `framesRead + avail`. The plain method, which on a
    /// pointer that moves in steps is as good as the stamp of the last step. nil if the status
    /// cannot be read.
    public mutating func captureTimeByStatus(ofFrame index: Int64) -> Int64? {
        guard let now = status() else { return nil }
        return Self.captureTime(ofFrame: index, statusNanoseconds: now.stamp, framesRead: framesRead,
                                available: now.position - framesRead, rate: rate)
    }

    /// The mapping `captureTime(ofFrame:)` uses, on plain numbers.
    public static func captureTime(ofFrame index: Int64, statusNanoseconds: Int64, framesRead: Int64, available: Int64, rate: Int) -> Int64 {
        statusNanoseconds - (framesRead + available - index) * 1_000_000_000 / Int64(max(rate, 1))
    }
}
