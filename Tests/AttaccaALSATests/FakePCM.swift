import AttaccaALSA

/// A PCM in memory: always ready for a period, a clock the test sets, and scripted failures.
struct FakePCM: PCMDevice {
    var configuration: PCMConfiguration
    var clock: Int64 = 10_000_000_000
    /// Returned by the next `write` instead of success (then reset to 0).
    var failNextWrite: Int32 = 0
    /// Returned by the next wait instead of a full period (then reset to 0).
    var failNextWait: Int32 = 0
    /// While true every wait times out (returns 0): a device whose clock stopped without error.
    var stalled = false
    var writes = 0
    var framesWritten = 0
    var recoveries = 0
    var drained = false
    /// `delay` the status reports; nil: a full buffer.
    var statusDelay: Int?
    /// The times `sleep(untilNanoseconds:)` was asked for, in order.
    var sleeps: [Int64] = []
    /// How late each sleep wakes.
    var oversleep: Int64 = 0
    /// The first two samples of the last write, as 32-bit words (S32 / FLOAT) or 16-bit pairs.
    var firstWord: UInt32 = 0

    init(periodSize: Int = 64, periodCount: Int = 2, format: PCMFormat = .s16, rate: Int = 48000) {
        configuration = PCMConfiguration(device: "fake", rate: rate, format: format, channels: 2,
                                         periodSize: periodSize, periodCount: periodCount)
    }

    mutating func waitAvailable(timeoutMilliseconds: Int32) -> Int {
        if failNextWait != 0 {
            defer { failNextWait = 0 }
            return Int(failNextWait)
        }
        return stalled ? 0 : configuration.periodSize
    }

    mutating func write(_ buffer: UnsafeRawPointer, frameCount: Int) -> Int {
        if failNextWrite != 0 {
            defer { failNextWrite = 0 }
            return Int(failNextWrite)
        }
        writes += 1
        framesWritten += frameCount
        firstWord = buffer.loadUnaligned(as: UInt32.self)
        return frameCount
    }

    mutating func readStatus(into status: inout PCMStatus) -> Int32 {
        status.delay = statusDelay ?? configuration.bufferSize
        status.timestampNanoseconds = clock
        return 0
    }

    mutating func recover(from error: Int32) -> Int32 {
        recoveries += 1
        return error == -32 || error == -86 ? 0 : error  // EPIPE, ESTRPIPE
    }

    func now() -> Int64 { clock }

    /// The clock moves to the time asked for, plus `oversleep`.
    mutating func sleep(untilNanoseconds nanoseconds: Int64) {
        sleeps.append(nanoseconds)
        clock = max(clock, nanoseconds + oversleep)
    }

    mutating func drain() { drained = true }
}
