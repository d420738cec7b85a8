// attacca-bench: small measurements that are reports, not tests.
//
//   attacca-bench load [path.sf2] [repetitions]   time to load a SoundFont with SoundFont(path:),
//                                                  and then to make its sample data resident
//
// Build in release: swift build -c release --product attacca-bench
import AttaccaCore
#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in seconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func load(_ arguments: ArraySlice<String>) -> Int32 {
    let path = arguments.first ?? "/usr/share/sounds/sf2/FluidR3_GM.sf2"
    let repetitions = arguments.dropFirst().first.flatMap { Int($0) } ?? 20
    var times: [Double] = []
    var residentTimes: [Double] = []
    var locked = false
    var summary = ""
    for _ in 0..<repetitions {
        let start = now()
        do {
            let font = try SoundFont(path: path)
            times.append(now() - start)
            let residentStart = now()
            locked = font.makeSampleDataResident()
            residentTimes.append(now() - residentStart)
            summary = "\(font.presets.count) presets, \(font.instruments.count) instruments, \(font.samples.count) samples, "
                + "\(font.sampleData.count) sample points"
        } catch {
            print("attacca-bench: \(error)")
            return 1
        }
    }
    let milliseconds = { (t: Double) in (t * 1e5).rounded() / 100 }
    func statistics(_ values: [Double]) -> String {
        let sorted = values.sorted()
        return "min \(milliseconds(sorted[0])) ms, median \(milliseconds(sorted[sorted.count / 2])) ms, "
            + "max \(milliseconds(sorted[sorted.count - 1])) ms"
    }
    print("load \(path): \(summary)")
    print("  SoundFont(path:), \(repetitions) loads: \(statistics(times))")
    print("  makeSampleDataResident() (\(locked ? "mlock" : "faulted in, not locked")): \(statistics(residentTimes))")
    return 0
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "load":
    exit(load(arguments.dropFirst()))
default:
    print("usage: attacca-bench load [path.sf2] [repetitions]")
    exit(2)
}
