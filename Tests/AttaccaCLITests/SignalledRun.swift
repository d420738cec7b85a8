import Foundation

/// `attacca` running in the background, so a test can signal it mid-way and time its exit.
final class SignalledRun {
    let process = Process()
    let folder: URL
    let errURL: URL

    init(_ arguments: [String]) throws {
        guard let executable = CommandRunner.executable else { throw CocoaError(.fileNoSuchFile) }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-play-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: folder)
    }

    var standardError: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// Polls stderr until `text` appears; fails if the process exits first (or after a minute).
    func waitForStandardError(containing text: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while !standardError.contains(text) {
            guard process.isRunning, Date() < deadline else { throw CocoaError(.fileReadUnknown) }
            usleep(20_000)
        }
    }

    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}
