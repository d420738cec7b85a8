import AttaccaALSA
import Glibc

/// A device that can be unplugged: plays like `FakePCM` (always ready, with a short sleep so a
/// loop on it does not spin a core), then, after `failAfterWrites` writes, fails every wait and
/// write with `failureCode`, as ALSA does for a USB card pulled out (-ENODEV), or, with
/// `stalls`, lets every wait time out (returns 0) as a device whose clock stopped. Opening and
/// closing are counted in `log` (it is non-copyable: its deinit is the close).
struct UnpluggablePCM: ~Copyable, PCMDevice {
    let configuration: PCMConfiguration
    let log: DeviceLog
    let failAfterWrites: Int?
    let failureCode: Int32
    let stalls: Bool
    private var writes = 0

    init(log: DeviceLog, failAfterWrites: Int? = nil, failureCode: Int32 = -19, stalls: Bool = false, rate: Int = 48000) {
        configuration = PCMConfiguration(device: "unpluggable", rate: rate, format: .s16, channels: 2, periodSize: 64, periodCount: 2)
        self.log = log
        self.failAfterWrites = failAfterWrites
        self.failureCode = failureCode
        self.stalls = stalls
        log.add(log.opened)
    }

    deinit { log.add(log.closed) }

    private var unplugged: Bool { failAfterWrites.map { writes >= $0 } ?? false }

    mutating func waitAvailable(timeoutMilliseconds: Int32) -> Int {
        if unplugged && !stalls { return Int(failureCode) }
        usleep(100)
        return unplugged ? 0 : configuration.periodSize
    }

    mutating func write(_ buffer: UnsafeRawPointer, frameCount: Int) -> Int {
        if unplugged { return Int(failureCode) }
        writes += 1
        log.add(log.writes)
        return frameCount
    }

    mutating func readStatus(into status: inout PCMStatus) -> Int32 { unplugged ? failureCode : 0 }

    /// Only underruns and suspends can be recovered from, as `snd_pcm_recover` does.
    mutating func recover(from error: Int32) -> Int32 { error == -32 || error == -86 ? 0 : error }

    func now() -> Int64 { MonotonicClock.now() }

    /// Its status has no timestamp, so the loop never asks it to sleep.
    mutating func sleep(untilNanoseconds nanoseconds: Int64) {}

    mutating func drain() {}
}
