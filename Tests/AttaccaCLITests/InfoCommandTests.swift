import Foundation
import Testing

@Suite(.enabled(if: CommandRunner.executable != nil && TestFiles.hasTimGM, "needs the attacca binary and TimGM6mb.sf2"))
struct InfoCommandTests {
    @Test func listsPresetsSortedByBankAndProgram() throws {
        let result = try CommandRunner.run(["info", TestFiles.timGM])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.contains("file: \(TestFiles.timGM)"))
        let presetLines = lines.filter { $0.hasPrefix("  ") && !$0.contains("program") }
        #expect(presetLines.count > 100)
        #expect(presetLines.first?.hasSuffix("0        0  Piano 1") == true)
        #expect(lines.contains { $0.hasPrefix("instruments: ") })
        #expect(lines.contains { $0.hasPrefix("samples: ") })
        #expect(lines.contains { $0.hasPrefix("sample data: ") && $0.hasSuffix("-bit)") })
    }

    @Test func printsJSON() throws {
        let result = try CommandRunner.run(["info", "--json", TestFiles.timGM])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let presets = try #require(object["presets"] as? [[String: Any]])
        #expect(presets.count > 100)
        #expect(presets.first?["name"] as? String == "Piano 1")
        let keys = presets.map { ($0["bank"] as? Int ?? -1) * 128 + ($0["program"] as? Int ?? -1) }
        #expect(keys == keys.sorted())
        #expect((object["instrumentCount"] as? Int ?? 0) > 0)
        #expect((object["sampleCount"] as? Int ?? 0) > 0)
        #expect((object["sampleDataBytes"] as? Int ?? 0) > 1_000_000)
    }

    /// Several files: the stack top first (the last given), with its bank offset, then each font.
    @Test func showsTheFontStack() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let copy = files.path("copy.sf2")
        try FileManager.default.copyItem(atPath: TestFiles.timGM, toPath: copy)
        let result = try CommandRunner.run(["info", TestFiles.timGM, copy + "@3"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "font stack: 2 fonts, top first (a bank/program comes from the first that has it)")
        #expect(lines[1].hasPrefix("  1. \(copy) (") && lines[1].hasSuffix(", bank offset 3)"))
        #expect(lines[2].hasPrefix("  2. \(TestFiles.timGM) ("))
        #expect(lines.contains("file: \(copy)") && lines.contains("file: \(TestFiles.timGM)"))
        #expect(lines.contains { $0.hasSuffix("3        0  Piano 1") })  // the copy's bank 0, moved to 3
    }

    /// An SF3 says what decoding its samples cost.
    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3"),
                   "fluidr3mono-gm-soundfont is not installed"))
    func showsTheSF3DecodingCost() throws {
        let result = try CommandRunner.run(["info", "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("version: 3.01") })
        #expect(lines.contains { $0.hasPrefix("sf3 decoding: ") && $0.contains(" for 124.3 MB of 16-bit points (Ogg Vorbis on ")
            && $0.hasSuffix(" threads; a full decode is kept in the SF3 cache, which later loads map; without one a render decodes only what its MIDI file reaches)") })
    }
}
