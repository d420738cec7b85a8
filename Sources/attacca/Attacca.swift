import ArgumentParser

@main
struct Attacca: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attacca",
        abstract: "A low-latency SoundFont instrument for Linux.",
        subcommands: [RenderCommand.self, InfoCommand.self, PlayCommand.self, DevicesCommand.self]
    )
}
