/// A DAHDSR envelope in FluidSynth's normalised form: `value` runs 0...1; attack rises linearly,
/// decay falls linearly to `sustainLevel` at a slope of 1 per `decay` time, release falls at 1
/// per `release` time from wherever it is. The volume envelope reads `value` as amplitude in
/// attack and as 1 - attenuation/960 cB afterwards (linear in dB); the modulation envelope
/// reads it through the convex curve in attack and linearly afterwards (`modulationValue`).
/// Times are whole samples, advanced per sub-block.
struct Envelope {
    enum Stage: UInt8 {
        case delay, attack, hold, decay, sustain, release, finished
    }

    var stage: Stage = .finished
    var value: Float = 0
    /// Samples left in the current timed stage (delay, attack, hold).
    var remaining: Int = 0
    var attackSamples: Int = 1
    var holdSamples: Int = 0
    /// Value change per sample in decay and release (positive numbers).
    var decayRate: Float = 1
    var releaseRate: Float = 1
    var sustainLevel: Float = 1

    /// In delay or attack (the volume envelope's linear-amplitude part).
    @_noLocks
    func isRising() -> Bool {
        switch stage {
        case .delay, .attack: return true
        default: return false
        }
    }

    /// The value as the modulation envelope applies it to pitch and filter cutoff: through the
    /// SF2 convex curve during the attack (SF2 2.04 §8.1.2 #26 as FluidSynth 2.3 reads it,
    /// `fluid_rvoice_write`), as it is in the other stages.
    @_noLocks
    @inline(__always)
    func modulationValue() -> Float {
        if case .attack = stage { return CompiledModulator.convex(127 * value) }
        return value
    }

    @_noLocks
    func isFinished() -> Bool {
        if case .finished = stage { return true }
        return false
    }

    /// Starts the envelope. Times in samples; `sustainLevel` in 0...1.
    @_noLocks
    mutating func start(delay: Int, attack: Int, hold: Int, decay: Int, sustainLevel: Float, release: Int) {
        attackSamples = max(attack, 1)
        holdSamples = max(hold, 0)
        decayRate = 1 / Float(max(decay, 1))
        releaseRate = 1 / Float(max(release, 1))
        self.sustainLevel = sustainLevel < 0 ? 0 : (sustainLevel > 1 ? 1 : sustainLevel)
        value = 0
        if delay > 0 {
            stage = .delay
            remaining = delay
        } else {
            stage = .attack
            remaining = attackSamples
        }
    }

    /// Goes back to the attack stage at `level` (0...1), the ramp continuing from there.
    @_noLocks
    mutating func restartAttack(from level: Float) {
        value = level
        stage = .attack
        remaining = Int(Float(attackSamples) * (1 - level))
    }

    /// Enters the release stage from the current value.
    @_noLocks
    mutating func release() {
        if case .finished = stage { return }
        stage = .release
    }

    /// Advances by `count` samples, crossing stage boundaries exactly.
    @_noLocks
    @inline(__always)
    mutating func advance(_ count: Int) {
        var left = count
        while left > 0 {
            switch stage {
            case .delay:
                let step = min(left, remaining)
                remaining -= step
                left -= step
                if remaining == 0 {
                    stage = .attack
                    remaining = attackSamples
                }
            case .attack:
                let step = min(left, remaining)
                remaining -= step
                left -= step
                value = Float(attackSamples - remaining) / Float(attackSamples)
                if remaining == 0 {
                    value = 1
                    stage = .hold
                    remaining = holdSamples
                }
            case .hold:
                let step = min(left, remaining)
                remaining -= step
                left -= step
                if remaining == 0 { stage = .decay }
            case .decay:
                value -= decayRate * Float(left)
                left = 0
                if value <= sustainLevel {
                    value = sustainLevel
                    stage = .sustain
                }
            case .sustain:
                left = 0
            case .release:
                value -= releaseRate * Float(left)
                left = 0
                if value <= 0 {
                    value = 0
                    stage = .finished
                }
            case .finished:
                left = 0
            }
        }
    }
}
