/// What to ask a PCM device for, and (once opened) what it agreed to.
public struct PCMConfiguration: Equatable, Sendable {
    /// An ALSA PCM name: `hw:0,0`, `hw:CARD=PCH,DEV=0`, `plughw:1`, `default`, `null`.
    public var device: String
    public var rate: Int
    /// nil: the first of `PCMFormat.preference` the device takes.
    public var format: PCMFormat?
    public var channels: Int
    /// Frames per period: the block the audio thread renders and the wake-up interval.
    public var periodSize: Int
    /// Periods in the ring buffer; 2 gives the least latency that still double-buffers.
    public var periodCount: Int

    public init(device: String = "default", rate: Int = 48000, format: PCMFormat? = nil, channels: Int = 2,
                periodSize: Int = 64, periodCount: Int = 2) {
        self.device = device
        self.rate = rate
        self.format = format
        self.channels = channels
        self.periodSize = periodSize
        self.periodCount = periodCount
    }

    /// Frames in the device's buffer.
    public var bufferSize: Int { periodSize * periodCount }
    /// The format the loop writes (the negotiated one once the device is open).
    public var sampleFormat: PCMFormat { format ?? .s16 }
    /// Bytes of one interleaved frame.
    public var bytesPerFrame: Int { sampleFormat.bytesPerSample * channels }
    /// One period's duration in nanoseconds.
    public var periodNanoseconds: Int64 { Int64(periodSize) * 1_000_000_000 / Int64(max(rate, 1)) }
}
