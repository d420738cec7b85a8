import ArgumentParser

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Not written yet.")
    func run() throws { throw ValidationError("'attacca info' is not written yet") }
}
