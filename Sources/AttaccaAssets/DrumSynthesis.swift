#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one-shot percussion samples of the drum kit: sine sweeps for the drums, filtered noise
/// (from `SeededRandom`) and clusters of inharmonic square waves for snares, claps and cymbals.
struct DrumSynthesis {
    let sampleRate: Double
    var random: SeededRandom

    init(sampleRate: Int, seed: UInt64) {
        self.sampleRate = Double(sampleRate)
        random = SeededRandom(seed: seed)
    }

    /// Bass drum: a sine falling from ~160 Hz to 48 Hz, a short click, gentle saturation.
    mutating func kick(key: Int) -> SynthesizedSample {
        var points = [Double](repeating: 0, count: count(0.6))
        var phase = 0.0
        var click = Biquad(.lowPass, frequency: 3000, q: 0.7, sampleRate: sampleRate)
        for n in points.indices {
            let t = Double(n) / sampleRate
            phase += (48 + 112 * exp(-t / 0.035)) / sampleRate
            let body = sin(2 * Double.pi * phase) * exp(-t / 0.22)
            let snap = click.process(random.bipolar()) * exp(-t / 0.004) * 0.6
            points[n] = tanh(1.6 * (body + snap))
        }
        return finish("Kick", key: key, &points)
    }

    /// Snare: two decaying drum-head modes plus band-passed noise for the wires.
    mutating func snare(key: Int, bright: Bool) -> SynthesizedSample {
        var points = [Double](repeating: 0, count: count(0.45))
        var wires = Biquad(.highPass, frequency: bright ? 2000 : 1200, q: 0.7, sampleRate: sampleRate)
        var tone = Biquad(.lowPass, frequency: 9000, q: 0.7, sampleRate: sampleRate)
        for n in points.indices {
            let t = Double(n) / sampleRate
            let head = (sin(2 * Double.pi * 185 * t) + 0.6 * sin(2 * Double.pi * 330 * t)) * exp(-t / 0.06)
            let noise = tone.process(wires.process(random.bipolar())) * exp(-t / (bright ? 0.12 : 0.09))
            points[n] = 0.55 * head + (bright ? 1.1 : 0.9) * noise
        }
        return finish(bright ? "Snare 2" : "Snare 1", key: key, &points)
    }

    /// Hand clap: three quick band-passed noise bursts, then a short diffuse tail.
    mutating func clap(key: Int) -> SynthesizedSample {
        var points = [Double](repeating: 0, count: count(0.35))
        var band = Biquad(.bandPass, frequency: 1200, q: 1.2, sampleRate: sampleRate)
        for n in points.indices {
            let t = Double(n) / sampleRate
            var envelope = exp(-max(0, t - 0.024) / 0.08)
            for burst in [0.0, 0.011, 0.022] where t >= burst {
                envelope += exp(-(t - burst) / 0.004)
            }
            points[n] = band.process(random.bipolar()) * envelope
        }
        return finish("Clap", key: key, &points)
    }

    /// Hi-hat: six detuned square waves (the classic analog-machine recipe) and noise, high-passed,
    /// with the decay telling closed, pedal and open apart.
    mutating func hiHat(key: Int, name: String, decay: Double, seconds: Double) -> SynthesizedSample {
        metal(name: name, key: key, seconds: seconds, decay: decay, highPass: 7000,
              squareScale: 1.7, noiseLevel: 0.8, attackSeconds: 0)
    }

    /// Crash cymbal: bright metallic noise with a long decay and a soft swell.
    mutating func crash(key: Int) -> SynthesizedSample {
        metal(name: "Crash", key: key, seconds: 2.2, decay: 0.7, highPass: 3500,
              squareScale: 1.3, noiseLevel: 1.0, attackSeconds: 0.004)
    }

    /// Ride cymbal: a ping of inharmonic partials over a quieter wash.
    mutating func ride(key: Int) -> SynthesizedSample {
        var wash = metal(name: "Ride", key: key, seconds: 1.8, decay: 0.6, highPass: 5000,
                         squareScale: 1.1, noiseLevel: 0.35, attackSeconds: 0).points
        let ratios = [1.0, 1.47, 2.09, 2.56, 3.12]
        for n in wash.indices {
            let t = Double(n) / sampleRate
            var ping = 0.0
            for (i, ratio) in ratios.enumerated() {
                ping += sin(2 * Double.pi * 2300 * ratio * t) * exp(-t / (0.5 / Double(i + 1))) / Double(i + 1)
            }
            wash[n] = 0.6 * wash[n] + 0.35 * ping
        }
        return finish("Ride", key: key, &wash)
    }

    /// Tom: a sine that drops a little in pitch as it rings, plus a soft stick noise.
    mutating func tom(key: Int, frequency: Double) -> SynthesizedSample {
        var points = [Double](repeating: 0, count: count(0.7))
        var stick = Biquad(.bandPass, frequency: 2500, q: 0.8, sampleRate: sampleRate)
        var phase = 0.0
        for n in points.indices {
            let t = Double(n) / sampleRate
            phase += frequency * (1 + 0.45 * exp(-t / 0.05)) / sampleRate
            let body = (sin(2 * Double.pi * phase) + 0.2 * sin(4 * Double.pi * phase)) * exp(-t / 0.25)
            points[n] = tanh(1.3 * body) + stick.process(random.bipolar()) * exp(-t / 0.01) * 0.5
        }
        return finish("Tom", key: key, &points)
    }

    private func count(_ seconds: Double) -> Int { Int(seconds * sampleRate) }

    /// Metallic noise: a cluster of square waves at inharmonic frequencies plus white noise,
    /// high-passed twice, with an exponential decay.
    private mutating func metal(name: String, key: Int, seconds: Double, decay: Double, highPass: Double,
                                squareScale: Double, noiseLevel: Double, attackSeconds: Double) -> SynthesizedSample {
        let frequencies = [205.3, 304.4, 369.6, 522.7, 540.0, 800.0].map { $0 * squareScale }
        var points = [Double](repeating: 0, count: count(seconds))
        var filter1 = Biquad(.highPass, frequency: highPass, q: 0.7, sampleRate: sampleRate)
        var filter2 = Biquad(.highPass, frequency: highPass, q: 0.7, sampleRate: sampleRate)
        var phases = frequencies.map { _ in random.unit() }
        for n in points.indices {
            let t = Double(n) / sampleRate
            var squares = 0.0
            for i in phases.indices {
                phases[i] += frequencies[i] / sampleRate
                if phases[i] >= 1 { phases[i] -= 1 }
                squares += phases[i] < 0.5 ? 1 : -1
            }
            let raw = squares / 6 + noiseLevel * random.bipolar()
            let swell = attackSeconds > 0 ? min(1, t / attackSeconds) : 1
            points[n] = filter2.process(filter1.process(raw)) * exp(-t / decay) * swell
        }
        return finish(name, key: key, &points)
    }

    /// Fades the last 10 ms to silence (no click when the sample runs out) and normalizes.
    private func finish(_ name: String, key: Int, _ points: inout [Double]) -> SynthesizedSample {
        let fade = min(points.count, Int(0.01 * sampleRate))
        for k in 0..<fade { points[points.count - 1 - k] *= Double(k) / Double(fade) }
        WaveformSynthesis.normalize(&points, peak: 0.9)
        return SynthesizedSample(name: name, points: points, loop: nil, originalPitch: key, pitchCorrection: 0)
    }
}
