/// One sine component of a decaying tone (piano, bass).
struct Partial {
    /// Multiple of the fundamental once the tone reaches its loop.
    var harmonic: Int
    /// Starting amplitude.
    var amplitude: Double
    /// Time constant (seconds) of the exponential decay baked in before the loop; upper partials
    /// decay faster, which is what makes a struck or plucked string sound struck or plucked.
    var decaySeconds: Double
    /// How many cents sharp the partial starts (string stiffness makes real partials sharp);
    /// glides to 0 before the loop so the loop stays exactly periodic.
    var detuneCents: Double
}
