import ArgumentParser
import Foundation

@main
struct Attacca: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attacca",
        abstract: "A low-latency SoundFont instrument for Linux.",
        subcommands: [RenderCommand.self, InfoCommand.self, PlayCommand.self, LatencyCommand.self, DevicesCommand.self]
    )

    /// Every failure reaches the user as one line, `attacca: error: <description>`: exit code 1
    /// for errors while running, ArgumentParser's own code (64) for bad arguments. Help and
    /// version requests print as usual.
    static func main() {
        StandardDescriptors.ensureOpen()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let text = message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            if !text.isEmpty { StandardError.write("attacca: error: \(text)") }
            Foundation.exit(code.rawValue)
        }
    }
}
