import ArgumentParser

struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "play", abstract: "Not written yet.")
    func run() throws { throw ValidationError("'attacca play' is not written yet") }
}
