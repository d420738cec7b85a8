#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builders of the tonal samples: each ends in a loop that holds a whole number of periods
/// (`PeriodicLoop`), so looping is seamless and the pitch in the header is exact.
enum WaveformSynthesis {
    /// Points of the loop repeated after the loop end: SF2 asks for at least 8 valid points there
    /// so interpolating players read real signal across the loop seam.
    static let pointsAfterLoop = 16

    /// Points per block of constant frequency in `decayingTone` (1.5 ms at 44.1 kHz).
    static let pointsPerBlock = 64

    /// A struck or plucked tone: partials that start slightly sharp and decay each at its own
    /// rate for `attackSeconds`, then hold their levels through the loop (the SoundFont's volume
    /// envelope does the long decay). `thump` adds a short low-passed noise burst at the onset.
    static func decayingTone(name: String, loop: PeriodicLoop, attackSeconds: Double, partials: [Partial],
                             thump: (level: Double, seconds: Double, cutoff: Double)? = nil,
                             random: inout SeededRandom, peak: Double = 0.9) -> SynthesizedSample {
        let rate = Double(loop.sampleRate)
        let loopStart = Int(attackSeconds * rate)
        var points = [Double](repeating: 0, count: loopStart + loop.length)
        let fundamental = loop.frequency / rate  // cycles per point
        for partial in partials {
            let increment = Double(partial.harmonic) * fundamental
            guard increment < 0.45 else { continue }
            let decayPerPoint = exp(-1 / (partial.decaySeconds * rate))
            var phase = 0.0, amplitude = partial.amplitude
            // Blocks of constant frequency, each rendered by rotating a phasor (no sin per point):
            // the sharpness fades as (1 - x)^2, gone with zero slope at the loop start.
            var block = 0
            while block < loopStart {
                let blockEnd = min(block + pointsPerBlock, loopStart)
                let remaining = 1 - Double(block) / Double(loopStart)
                let blockIncrement = increment * (1 + partial.detuneCents * remaining * remaining * (log(2.0) / 1200))
                var c = cos(2 * Double.pi * phase), s = sin(2 * Double.pi * phase)
                let dc = cos(2 * Double.pi * blockIncrement), ds = sin(2 * Double.pi * blockIncrement)
                for n in block..<blockEnd {
                    points[n] += amplitude * s
                    (c, s) = (c * dc - s * ds, s * dc + c * ds)
                    amplitude *= decayPerPoint
                }
                phase += blockIncrement * Double(blockEnd - block)
                phase -= phase.rounded(.down)
                block = blockEnd
            }
            guard amplitude > partial.amplitude * 1e-5 else { continue }
            for m in 0..<loop.length {
                points[loopStart + m] += amplitude
                    * sin(2 * Double.pi * (phase + loop.phase(harmonic: partial.harmonic, index: m)))
            }
        }
        if let thump {
            var filter = Biquad(.lowPass, frequency: thump.cutoff, q: 0.7, sampleRate: rate)
            let decayPerPoint = exp(-1 / (thump.seconds * rate))
            var level = thump.level
            for n in 0..<min(loopStart, Int(thump.seconds * 8 * rate)) {
                points[n] += level * filter.process(random.bipolar())
                level *= decayPerPoint
            }
        }
        // A 1 ms fade-in so the very first point is silence, whatever the partials' phases.
        let fadeIn = Int(0.001 * rate)
        for n in 0..<fadeIn { points[n] *= Double(n) / Double(fadeIn) }
        // Everything from `loopStart` on repeats every loop.length points: start the loop at a rising
        // zero crossing of that periodic part and continue it past the loop end.
        let shift = risingZeroCrossing(Array(points[loopStart...]))
        for i in 0..<(shift + pointsAfterLoop) {
            points.append(points[loopStart + i % loop.length])
        }
        normalize(&points, peak: peak)
        let start = loopStart + shift
        return SynthesizedSample(name: name, points: points, loop: start..<(start + loop.length),
                                 originalPitch: loop.originalPitch, pitchCorrection: loop.pitchCorrection)
    }

    /// A steady tone of harmonics `(harmonic, amplitude)`, periodic from its first point: organ.
    static func periodicTone(name: String, loop: PeriodicLoop, harmonics: [(Int, Double)],
                             leadIn: Int = 32, peak: Double = 0.9) -> SynthesizedSample {
        let rate = Double(loop.sampleRate)
        var period = [Double](repeating: 0, count: loop.length)
        for (harmonic, amplitude) in harmonics where Double(harmonic) * loop.frequency < 0.45 * rate {
            for m in 0..<loop.length {
                period[m] += amplitude * sin(2 * Double.pi * loop.phase(harmonic: harmonic, index: m))
            }
        }
        return tiled(name: name, period: period, loop: loop, leadIn: leadIn, peak: peak)
    }

    /// Band-limited sawtooths `periods + offset` periods long in the loop, one per offset: they beat
    /// against each other like a section of slightly out-of-tune strings, yet the loop is exact.
    static func detunedSaws(name: String, loop: PeriodicLoop, offsets: [Int], highestHarmonicHertz: Double,
                            random: inout SeededRandom, leadIn: Int = 32, peak: Double = 0.9) -> SynthesizedSample {
        let tableSize = 4096
        let harmonics = max(1, Int(highestHarmonicHertz / loop.frequency))
        var table = [Double](repeating: 0, count: tableSize + 1)
        for h in 1...harmonics {
            for i in 0..<tableSize {
                table[i] += sin(2 * Double.pi * Double((h * i) % tableSize) / Double(tableSize)) / Double(h)
            }
        }
        table[tableSize] = table[0]
        var period = [Double](repeating: 0, count: loop.length)
        for offset in offsets {
            let cycles = loop.periods + offset
            let start = Int(random.next() % UInt64(loop.length))
            for m in 0..<loop.length {
                let position = Double((m * cycles + start) % loop.length) * Double(tableSize) / Double(loop.length)
                let index = Int(position), fraction = position - Double(index)
                period[m] += table[index] + (table[index + 1] - table[index]) * fraction
            }
        }
        return tiled(name: name, period: period, loop: loop, leadIn: leadIn, peak: peak)
    }

    /// `leadIn` points, the loop, then `pointsAfterLoop`, all cut from the same periodic signal.
    private static func tiled(name: String, period: [Double], loop: PeriodicLoop, leadIn: Int,
                              peak: Double) -> SynthesizedSample {
        let count = leadIn + loop.length + pointsAfterLoop
        // The loop starts at a rising zero crossing of the period, `leadIn` points into the sample.
        let start = risingZeroCrossing(period)
        var points = (0..<count).map { period[(($0 - leadIn + start) % loop.length + loop.length) % loop.length] }
        // Fade the lead-in up from silence: no click at the note's first point, loop untouched.
        for n in 0..<leadIn { points[n] *= Double(n) / Double(leadIn) }
        normalize(&points, peak: peak)
        return SynthesizedSample(name: name, points: points, loop: leadIn..<(leadIn + loop.length),
                                 originalPitch: loop.originalPitch, pitchCorrection: loop.pitchCorrection)
    }

    /// Index of the rising zero crossing (previous point, cyclically, below zero; this one at or
    /// above) closest to zero in one period, or 0 if there is none. A loop starting there begins
    /// from silence-level signal, so even a player that does not interpolate across the seam
    /// cannot click.
    static func risingZeroCrossing(_ period: [Double]) -> Int {
        var best = 0, bestValue = Double.infinity
        for k in period.indices {
            let previous = period[(k + period.count - 1) % period.count]
            if previous < 0, period[k] >= 0, period[k] < bestValue {
                best = k
                bestValue = period[k]
            }
        }
        return best
    }

    /// Scales so the largest magnitude is `peak`.
    static func normalize(_ points: inout [Double], peak: Double) {
        let largest = points.reduce(0) { max($0, abs($1)) }
        guard largest > 0 else { return }
        let gain = peak / largest
        for i in points.indices { points[i] *= gain }
    }
}
