import Foundation

/// A PipeWire daemon of the test's own (Debian's default configuration: its Dummy-Driver clocks
/// the graph when there is no sound card), in a private runtime folder, with JACK programs run on
/// it through `pw-jack` (PipeWire's libjack) at a 64-frame quantum. Killed when the test is done.
final class TestPipeWire {
    static let pipewire = "/usr/bin/pipewire"
    static let pwJack = "/usr/bin/pw-jack"
    /// jackd2's example clients, used as the MIDI source and the recorder; PipeWire's own tools
    /// (a sink to link to, and links to check).
    static let tools = ["/usr/bin/jack_midiseq", "/usr/bin/jack_rec", "/usr/bin/jack_connect", "/usr/bin/pw-cli", "/usr/bin/pw-link"]
    static var isInstalled: Bool {
        ([pipewire, pwJack] + tools).allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let folder: URL
    let rate = 48000
    let quantum = 64
    private var daemon: Process?
    private var clients: [Process] = []

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-pipewire-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.pipewire)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let log = folder.appendingPathComponent("pipewire.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        daemon = process
        let socket = folder.appendingPathComponent("pipewire-0").path
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) {
            guard process.isRunning, Date() < deadline else {
                throw TestJACKError("pipewire did not come up: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            usleep(20_000)
        }
    }

    deinit {
        for client in clients { Self.stop(client) }
        if let daemon { Self.stop(daemon) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// SIGTERM, then SIGKILL after 2 s: jack_midiseq closes its client in its signal handler,
    /// which on PipeWire's libjack has been seen never to return.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// What a client needs to find this daemon and ask for its quantum.
    var environment: [String: String] {
        ["PIPEWIRE_RUNTIME_DIR": folder.path, "XDG_RUNTIME_DIR": folder.path, "PIPEWIRE_QUANTUM": "\(quantum)/\(rate)"]
    }

    /// Starts a JACK program on this daemon; stopped with it.
    @discardableResult
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.pwJack)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        clients.append(process)
        return process
    }

    /// Runs a JACK program on this daemon to its end (at most `timeout` seconds); its exit status.
    func run(_ arguments: [String], timeout: TimeInterval = 30) throws -> Int32 {
        let process = try start(arguments)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else {
                Self.stop(process)
                throw TestJACKError("\(arguments.joined(separator: " ")) did not finish in \(Int(timeout)) s")
            }
            usleep(20_000)
        }
        return process.terminationStatus
    }
}
