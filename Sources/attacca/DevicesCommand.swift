import ArgumentParser

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "Not written yet.")
    func run() throws { throw ValidationError("'attacca devices' is not written yet") }
}
