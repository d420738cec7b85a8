import CJack
import Foundation

/// A jackd of its own for one test: the dummy backend (no sound card), 48 kHz, 64-frame
/// periods, under a unique name; killed when the test is done.
final class TestJACKServer {
    static let jackdPath: String? = ["/usr/bin/jackd", "/usr/local/bin/jackd"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isInstalled: Bool { jackdPath != nil }
    /// Real-time scheduling is allowed here (root, or an rtprio limit): jackd runs with -R.
    /// Without it (--no-realtime) any busy neighbour makes the dummy backend's timer late.
    static let realtime: Bool = {
        if getuid() == 0 { return true }
        var limit = rlimit()
        // 14: RLIMIT_RTPRIO, which the Glibc overlay does not export.
        return getrlimit(__rlimit_resource_t(14), &limit) == 0 && limit.rlim_cur >= 20
    }()

    let name: String
    /// jackd's output: its xrun reports say whose they were.
    let logURL: URL
    let rate = 48000
    let period = 64
    private var process: Process?

    init() throws {
        name = "attacca-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        try start()
    }

    deinit {
        kill(signal: SIGTERM)
        try? FileManager.default.removeItem(at: logURL)
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// The xruns jackd reported: its timer woke late (`JackTimedDriver::Process XRun`: the
    /// machine was busy) or a client did not finish (`JackEngine::XRun: client = …`).
    var xrunLines: [Substring] { log.split(separator: "\n").filter { $0.contains("XRun") } }

    /// Lines where jackd blames `client` for an xrun (it did not finish its cycle in time).
    func xrunsBlaming(_ client: String) -> [Substring] {
        xrunLines.filter { blames(client, $0) }
    }

    /// Whether jackd's log `line` blames `client` for an xrun.
    func blames(_ client: String, _ line: Substring) -> Bool {
        line.contains("client = \(client) ") || line.contains("client \(client) ")
    }

    /// Starts jackd and waits (up to 10 s) until a client can connect.
    func start() throws {
        attacca_jack_silence()  // libjack's own chatter (the probes' failed connects while it starts)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.jackdPath!)
        process.arguments = (Self.realtime ? ["-R"] : ["--no-realtime"]) + ["-n", name, "-d", "dummy", "-r", "\(rate)", "-p", "\(period)"]
        process.standardInput = FileHandle.nullDevice
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            var status = JackStatus(rawValue: 0)
            if let client = attacca_jack_client_open("probe-wait", &status, name) {
                jack_client_close(client)
                return
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        throw TestJACKError("jackd -n \(name) did not come up")
    }

    /// Stops jackd with `signal` and waits for it.
    func kill(signal: Int32) {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
        self.process = nil
    }
}

struct TestJACKError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
