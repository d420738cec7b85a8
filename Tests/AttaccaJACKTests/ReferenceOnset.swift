import AttaccaAssets
import AttaccaCore
import Foundation

/// Where a note's first non-zero sample falls when the engine renders it at frame 0, offline,
/// with the font and settings the JACK tests play with (effects off): a SoundFont sample may
/// begin with silence (TimGM6mb's piano: 292 frames), so the onset heard through JACK is the
/// send frame plus this. Exact zero versus not does not depend on the gain.
enum ReferenceOnset {
    static func frames(key: Int, rate: Int) throws -> Int? {
        let font = FileManager.default.isReadableFile(atPath: PlayerRun.timGM)
            ? try SoundFont(path: PlayerRun.timGM) : DefaultSoundFont.make()
        var settings = SynthesizerSettings(sampleRate: rate)
        settings.reverb.isEnabled = false
        settings.chorus.isEnabled = false
        var synthesizer = try Synthesizer(soundFont: font, settings: settings)
        let count = 8192
        let left = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { left.deallocate(); right.deallocate() }
        synthesizer.send(.noteOn(channel: 0, key: key, velocity: 100))
        synthesizer.render(left: left, right: right, frameCount: count)
        return UnsafeBufferPointer(start: left, count: count).firstIndex { $0 != 0 }
    }
}
