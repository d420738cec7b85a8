import ArgumentParser

/// `attacca play --driver`: where the sound goes.
enum AudioDriver: String, CaseIterable, ExpressibleByArgument {
    /// An ALSA PCM device, opened directly (`hw:` for the least latency): the sound card is ours.
    case alsa
    /// A JACK client (jackd, or PipeWire's JACK): the card is the server's, shared and routed.
    case jack
    /// A native PipeWire node (libpipewire): PipeWire owns the card; the latency readout uses
    /// its driver's clock and delay, which PipeWire's JACK does not show.
    case pipewire
}
