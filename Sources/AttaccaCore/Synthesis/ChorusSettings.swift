/// The chorus's parameters, named and ranged as FluidSynth's `synth.chorus.*` settings; the
/// defaults are FluidSynth 2.4's and later (3 voices, level 0.6, 0.2 Hz, 4.25 ms, sine).
public struct ChorusSettings: Sendable, Equatable {
    public var isEnabled: Bool
    /// 0...99 modulated delay lines (`synth.chorus.nr`); 0 is silent.
    public var voiceCount: Int
    /// 0...10: output gain (`synth.chorus.level`).
    public var level: Double
    /// 0.1...5 Hz: frequency of the sine modulating each line's delay (`synth.chorus.speed`).
    public var speed: Double
    /// 0...40 ms: peak-to-peak swing of each line's delay (`synth.chorus.depth`).
    public var depth: Double

    public init(isEnabled: Bool = true, voiceCount: Int = 3, level: Double = 0.6, speed: Double = 0.2,
                depth: Double = 4.25) {
        self.isEnabled = isEnabled
        self.voiceCount = voiceCount
        self.level = level
        self.speed = speed
        self.depth = depth
    }

    public static let voiceCountRange = 0...99
    public static let levelRange = 0.0...10.0
    public static let speedRange = 0.1...5.0
    /// FluidSynth takes up to 256 ms but clamps the delay line to 2048 frames (46 ms at 44.1 kHz).
    public static let depthRange = 0.0...40.0
}
