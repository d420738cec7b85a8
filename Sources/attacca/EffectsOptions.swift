import ArgumentParser
import AttaccaCore

/// Reverb and chorus, named after FluidSynth's synth.reverb.* and synth.chorus.* settings; shared
/// by `render` and `play` (through `EngineOptions`), given to either engine.
struct EffectsOptions: ParsableArguments {
    @Option(help: "Reverb: on or off (FluidSynth's synth.reverb.active).")
    var reverb: EffectSwitch = .on

    @Option(name: .customLong("reverb-room"), help: ArgumentHelp("Reverb room size, 0...1 (synth.reverb.room-size).", valueName: "size"))
    var reverbRoom: Double = ReverbSettings().roomSize

    @Option(name: .customLong("reverb-damp"), help: ArgumentHelp("Reverb damping of high frequencies, 0...1 (synth.reverb.damp).", valueName: "damp"))
    var reverbDamp: Double = ReverbSettings().damping

    @Option(name: .customLong("reverb-width"), help: ArgumentHelp("Reverb stereo width, 0...100 (synth.reverb.width).", valueName: "width"))
    var reverbWidth: Double = ReverbSettings().width

    @Option(name: .customLong("reverb-level"), help: ArgumentHelp("Reverb output level, 0...1 (synth.reverb.level).", valueName: "level"))
    var reverbLevel: Double = ReverbSettings().level

    @Option(help: "Chorus: on or off (FluidSynth's synth.chorus.active).")
    var chorus: EffectSwitch = .on

    @Option(name: .customLong("chorus-nr"), help: ArgumentHelp("Chorus voices, 0...99 (synth.chorus.nr).", valueName: "count"))
    var chorusNr: Int = ChorusSettings().voiceCount

    @Option(name: .customLong("chorus-level"), help: ArgumentHelp("Chorus output level, 0...10 (synth.chorus.level).", valueName: "level"))
    var chorusLevel: Double = ChorusSettings().level

    @Option(name: .customLong("chorus-speed"), help: ArgumentHelp("Chorus modulation speed in Hz, 0.1...5 (synth.chorus.speed).", valueName: "hz"))
    var chorusSpeed: Double = ChorusSettings().speed

    @Option(name: .customLong("chorus-depth"), help: ArgumentHelp("Chorus modulation depth in ms, 0...40 (synth.chorus.depth).", valueName: "ms"))
    var chorusDepth: Double = ChorusSettings().depth

    func validate() throws {
        try Self.check("--reverb-room", reverbRoom, ReverbSettings.roomSizeRange)
        try Self.check("--reverb-damp", reverbDamp, ReverbSettings.dampingRange)
        try Self.check("--reverb-width", reverbWidth, ReverbSettings.widthRange)
        try Self.check("--reverb-level", reverbLevel, ReverbSettings.levelRange)
        guard ChorusSettings.voiceCountRange.contains(chorusNr) else {
            throw ValidationError("--chorus-nr must be between 0 and 99, not \(chorusNr)")
        }
        try Self.check("--chorus-level", chorusLevel, ChorusSettings.levelRange)
        try Self.check("--chorus-speed", chorusSpeed, ChorusSettings.speedRange)
        try Self.check("--chorus-depth", chorusDepth, ChorusSettings.depthRange)
    }

    static func check(_ name: String, _ value: Double, _ range: ClosedRange<Double>) throws {
        func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(name) must be between \(text(range.lowerBound)) and \(text(range.upperBound)), not \(value)")
        }
    }

    var reverbSettings: ReverbSettings {
        ReverbSettings(isEnabled: reverb == .on, roomSize: reverbRoom, damping: reverbDamp, width: reverbWidth, level: reverbLevel)
    }

    var chorusSettings: ChorusSettings {
        ChorusSettings(isEnabled: chorus == .on, voiceCount: chorusNr, level: chorusLevel, speed: chorusSpeed, depth: chorusDepth)
    }
}
