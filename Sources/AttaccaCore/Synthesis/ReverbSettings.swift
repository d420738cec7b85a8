/// The reverb's parameters, named and ranged as FluidSynth's `synth.reverb.*` settings; the
/// defaults are FluidSynth 2.4's and later (room 0.5, damp 0.3, width 0.8, level 0.7).
public struct ReverbSettings: Sendable, Equatable {
    public var isEnabled: Bool
    /// 0...1: the tank's feedback gain, 0.2 + 0.78 × roomSize (FluidSynth's Dattorro mapping).
    public var roomSize: Double
    /// 0...1: the feedback coefficient of the one-pole low-pass in each tank loop (0 = bright).
    public var damping: Double
    /// 0...100: stereo spread of the output taps (0 = mono, 1 = as the plate's taps come, > 1 wider).
    public var width: Double
    /// 0...1: output gain of the reverb.
    public var level: Double

    public init(isEnabled: Bool = true, roomSize: Double = 0.5, damping: Double = 0.3, width: Double = 0.8,
                level: Double = 0.7) {
        self.isEnabled = isEnabled
        self.roomSize = roomSize
        self.damping = damping
        self.width = width
        self.level = level
    }

    public static let roomSizeRange = 0.0...1.0
    public static let dampingRange = 0.0...1.0
    public static let widthRange = 0.0...100.0
    public static let levelRange = 0.0...1.0
}
