import ArgumentParser
import AttaccaCore
import Foundation

/// `attacca info`: what a SoundFont holds, read with Attacca's own parser.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a SoundFont's name, presets, instruments and samples."
    )

    @Argument(help: ArgumentHelp("The SoundFont 2 file to describe.", valueName: "soundfont"))
    var soundFont: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let summary = SoundFontSummary(path: soundFont, soundFont: try SoundFontChoice.load(path: soundFont))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(SoundFontSummary.escapedJSON(String(decoding: try encoder.encode(summary), as: UTF8.self)))
        } else {
            print(summary.text, terminator: "")
        }
    }
}
