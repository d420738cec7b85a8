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
}
