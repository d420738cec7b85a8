import ArgumentParser
import AttaccaCore
import Foundation

/// `attacca info`: what a SoundFont holds, read with Attacca's own parser.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a SoundFont's name, presets, instruments and samples."
    )

    @Argument(help: ArgumentHelp(
        "The SoundFont 2 file to describe; several describe the font stack `render -s A -s B` plays (last on top). FILE@N: bank offset N.",
        valueName: "soundfont"))
    var soundFonts: [String]

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if soundFonts.isEmpty { throw ValidationError("Missing expected argument '<soundfont> ...'") }
    }

    func run() throws {
        let fonts = soundFonts.map(SoundFontChoice.StackedSoundFont.init(option:))
        if fonts.count == 1, fonts[0].bankOffset == 0 {
            try show(Self.summary(path: fonts[0].path))
            return
        }
        // Top of the stack first, as the lookup walks it.
        var summaries: [SoundFontSummary] = []
        for font in fonts.reversed() {
            summaries.append(try Self.summary(path: font.path, bankOffset: font.bankOffset))
        }
        if json {
            try show(["stack": summaries])
        } else {
            print("font stack: \(summaries.count) fonts, top first (a bank/program comes from the first that has it)")
            for (position, summary) in summaries.enumerated() {
                let offset = summary.bankOffset == 0 ? "" : ", bank offset \(summary.bankOffset)"
                print("  \(position + 1). \(summary.path) (\(summary.name), \(summary.presets.count) presets\(offset))")
            }
            for summary in summaries { print("\n" + summary.text, terminator: "") }
        }
    }

    /// The summary of one file, with its SF3 decoding cost when it has one.
    static func summary(path: String, bankOffset: Int = 0) throws -> SoundFontSummary {
        // Decoded every time (no cache): what this font costs to decode is what info reports.
        let loaded = try SoundFontChoice.loadMeasured(path: path, cache: nil)
        var summary = SoundFontSummary(path: path, soundFont: loaded.soundFont, bankOffset: bankOffset)
        summary.decodeMilliseconds = loaded.decode?.milliseconds
        summary.decodedBytes = loaded.decode?.decodedBytes
        summary.decodeThreads = loaded.decode?.threads
        return summary
    }

    private func show<T: Encodable>(_ value: T) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(SoundFontSummary.escapedJSON(String(decoding: try encoder.encode(value), as: UTF8.self)))
        } else if let summary = value as? SoundFontSummary {
            print(summary.text, terminator: "")
        }
    }
}
