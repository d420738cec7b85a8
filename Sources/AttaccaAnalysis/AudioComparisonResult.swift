extension AudioComparison {
    /// Both metrics and how many frames each counted.
    public struct Result: Sendable, CustomStringConvertible {
        public var envelopeCorrelation: Double
        public var logSpectralDistance: Double
        public var envelopeFrames: Int
        public var spectralFrames: Int
        public var description: String {
            "envelope correlation \(Self.format(envelopeCorrelation, 4)) (\(envelopeFrames) frames), "
                + "log-spectral distance \(Self.format(logSpectralDistance, 2)) dB (\(spectralFrames) frames)"
        }

        static func format(_ value: Double, _ digits: Int) -> String {
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            return "\((value * scale).rounded() / scale)"
        }
    }
}
