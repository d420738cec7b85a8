import ArgumentParser

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Not written yet.")
    func run() throws { throw ValidationError("'attacca render' is not written yet") }
}
