import Foundation

/// Runs the built `attacca` binary as a subprocess, as a user would.
struct CommandRunner {
    struct Output {
        let status: Int32
        let standardOutput: String
        let standardError: String
        var errorLines: [Substring] { standardError.split(separator: "\n", omittingEmptySubsequences: true) }
    }

    /// The `attacca` executable in the products folder next to the test bundle.
    static let executable: URL? = {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.deletingLastPathComponent(), bundle,
                          URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("attacca") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Whether `setpriv` can run a program as `nobody` here (it needs root): then permission
    /// bits apply to the run, which they do not to root.
    static let canRunAsNobody: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = nobody + ["/bin/true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    private static let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"]

    /// Runs `attacca arguments…`; with `fileSizeLimitBlocks`, under `ulimit -f` (512-byte blocks)
    /// to make writes fail the way a full disk does; with `asNobody`, as user `nobody` (setpriv).
    /// `environment` entries are added to (or replace) the test's own; `ATTACCA_SF3_CACHE` is `off`
    /// unless given.
    /// Runs a /bin/sh `script` in which `$0` is the attacca binary (for pipes and redirections).
    static func runShell(_ script: String) throws -> Output {
        guard let executable else { throw CocoaError(.fileNoSuchFile) }
        return try run([], shell: ["-c", script, executable.path])
    }

    static func run(_ arguments: [String], fileSizeLimitBlocks: Int? = nil, asNobody: Bool = false,
                    environment: [String: String] = [:], shell: [String]? = nil) throws -> Output {
        guard let executable else { throw CocoaError(.fileNoSuchFile) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attacca-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = shell
        } else if let blocks = fileSizeLimitBlocks {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"", executable.path] + arguments
        } else if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = nobody + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        // No SF3 cache unless a test asks for one: each run decodes, and nothing lands in ~/.cache.
        process.environment = ProcessInfo.processInfo.environment.merging(["ATTACCA_SF3_CACHE": "off"]) { $1 }
            .merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Output(status: process.terminationStatus,
                      standardOutput: try String(contentsOf: outURL, encoding: .utf8),
                      standardError: try String(contentsOf: errURL, encoding: .utf8))
    }
}
