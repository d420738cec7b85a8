import CALSA

/// Process-wide alsa-lib settings.
public enum ALSALibrary {
    /// Stops alsa-lib printing its own diagnostics ("ALSA lib seq_hw.c:466: ..."): every failure
    /// reaches the user once, as an `ALSAError` line.
    public static func silenceDiagnostics() {
        attacca_silence_alsa_errors()
    }
}
