import Foundation

/// `attacca play --driver jack …` in the background, its stderr in a file, with its own latency
/// socket directory (XDG_RUNTIME_DIR) so `attacca latency` reaches this player and no other.
final class PlayerRun {
    /// The `attacca` executable in the products folder next to the test bundle.
    static let executable: URL? = {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.deletingLastPathComponent(), bundle,
                          URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("attacca") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
    static let timGM = "/usr/share/sounds/sf2/TimGM6mb.sf2"
    /// A small GM font when installed keeps start-up short; else the built-in one.
    static var fontArguments: [String] {
        FileManager.default.isReadableFile(atPath: timGM) ? ["-s", timGM] : []
    }

    let process = Process()
    let folder: URL
    let errURL: URL

    /// `environment` is added to the test's own; `launcher` runs attacca through another
    /// program (`pw-jack`, for PipeWire's JACK library).
    init(_ arguments: [String], environment: [String: String] = [:], launcher: [String] = []) throws {
        guard let executable = Self.executable else { throw TestJACKError("the attacca binary was not found next to the tests") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-jack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .merging(["XDG_RUNTIME_DIR": folder.path]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    var standardError: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
    var errorLines: [Substring] { standardError.split(separator: "\n") }

    /// Polls stderr until `text` appears; throws if the process exits first (or after `timeout`).
    func waitForStandardError(containing text: String, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !standardError.contains(text) {
            guard process.isRunning, Date() < deadline else {
                throw TestJACKError("no '\(text)' from attacca; it said: \(standardError)")
            }
            usleep(20_000)
        }
    }

    /// Waits for it to exit by itself; its exit status.
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Interrupts it (Ctrl-C) and waits for its exit status.
    func interrupt() -> Int32 {
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// `attacca latency --json` against this player.
    func latencyReport() throws -> [String: Any] {
        let latency = Process()
        latency.executableURL = Self.executable
        latency.arguments = ["latency", "--json"]
        latency.environment = process.environment
        let pipe = Pipe()
        latency.standardOutput = pipe
        latency.standardError = FileHandle.nullDevice
        try latency.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        latency.waitUntilExit()
        guard latency.terminationStatus == 0, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestJACKError("attacca latency --json failed (\(latency.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }
}
