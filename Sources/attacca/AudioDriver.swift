import ArgumentParser

/// `attacca play --driver`: where the sound goes.
enum AudioDriver: String, CaseIterable, ExpressibleByArgument {
    /// An ALSA PCM device, opened directly (`hw:` for the least latency): the sound card is ours.
    case alsa
    /// A JACK client (jackd, or PipeWire's JACK): the card is the server's, shared and routed.
    case jack
}
