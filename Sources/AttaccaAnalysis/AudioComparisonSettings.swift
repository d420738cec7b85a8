/// The parameters of `AudioComparison`'s two metrics. The defaults are the ones the engine
/// comparison tests and the goals refer to.
public struct AudioComparisonSettings: Sendable, Equatable {
    // Envelope correlation.

    /// Length of one RMS frame in seconds (20 ms: 960 samples at 48 kHz). A last partial frame is dropped.
    public var frameDuration: Double = 0.02
    /// Levels below this (dBFS) are raised to it, so digital silence has a finite level.
    public var silenceFloor: Double = -100
    /// A frame (RMS or spectral) counts only when at least one of the two signals reaches this level
    /// (dBFS, RMS over the frame). For the log-spectral distance the level is taken after loudness
    /// normalization, so it is relative to `loudnessReference`.
    public var activityFloor: Double = -60

    // Log-spectral distance.

    /// RMS level (dBFS, over all channels and samples) both signals are scaled to first.
    public var loudnessReference: Double = -20
    /// FFT length in samples (a power of two); each frame is Hann-windowed.
    public var fftSize: Int = 2048
    /// Hop between spectral frames in samples (50 % overlap by default).
    public var hopSize: Int = 1024
    /// Bins whose centre frequency lies in this range (Hz) are compared.
    public var lowestFrequency: Double = 50
    public var highestFrequency: Double = 16000
    /// Bin powers are in dB relative to a full-scale sine's peak bin (a 0 dBFS-amplitude sine at a
    /// bin centre reads 0 dB) and raised to this floor before the difference is taken.
    public var spectralFloor: Double = -100

    public init() {}
}
