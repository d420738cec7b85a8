import Glibc

/// Prints what a capture contains, one `key=value` per line:
///   frames, rate, seconds, peak (0...1), rms,
///   onsets (seconds, comma-separated), attacks (onsets of the second difference, for timing comparisons),
///   pitches (Hz after each of the first 32 onsets), notes (MIDI keys),
///   pitch (Hz after the first onset), dropouts (runs of >= 32 all-zero frames inside the sound),
///   last_sound (seconds: the last sample above -60 dBFS, 0 if none; a stuck note keeps it at the end).
func analyze(path: String) {
    let (samples, rate) = readWavMono(path: path)
    let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
    let rms = (samples.reduce(Double(0)) { $0 + Double($1 * $1) } / Double(max(samples.count, 1))).squareRoot()
    let onsets = detectOnsets(samples, rate: rate)
    let pitches = onsets.prefix(32).map { estimatePitch(samples, from: $0 + rate / 20, rate: rate) }
    let notes = pitches.map { $0 > 0 ? String(Int((69 + 12 * log2($0 / 440)).rounded())) : "?" }
    print("frames=\(samples.count)")
    print("rate=\(rate)")
    print("seconds=\(fmt(Double(samples.count) / Double(rate), 3))")
    print("peak=\(fmt(Double(peak), 4))")
    print("rms=\(fmt(rms, 5))")
    print("onsets=\(onsets.map { fmt(Double($0) / Double(rate), 3) }.joined(separator: ","))")
    print("attacks=\(detectAttacks(samples, rate: rate).map { fmt(Double($0) / Double(rate), 3) }.joined(separator: ","))")
    print("pitches=\(pitches.map { fmt($0, 2) }.joined(separator: ","))")
    print("notes=\(notes.joined(separator: ","))")
    print("pitch=\(fmt(pitches.first ?? 0, 2))")
    print("dropouts=\(countDropouts(samples))")
    let lastSound = samples.lastIndex(where: { abs($0) > 0.001 }).map { Double($0 + 1) / Double(rate) } ?? 0
    print("last_sound=\(fmt(lastSound, 3))")
}

func fmt(_ value: Double, _ decimals: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { vsnprintf(&buffer, 64, "%.\(decimals)f", $0) }
    return String(cString: buffer)
}

/// Reads a PCM WAV (16/24/32-bit integer or 32-bit float, any channel count) and mixes it to mono.
/// A data chunk whose size field runs past the end of the file (an interrupted recording) is clamped.
func readWavMono(path: String) -> ([Float], Int) {
    guard let handle = fopen(path, "rb") else { fail("cannot open \(path)") }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, handle)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    fclose(handle)
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
        fail("\(path) is not a WAV file")
    }
    var format = 0, channels = 0, rate = 0, bits = 0
    var at = 12
    while at + 8 <= bytes.count {
        let id = String(decoding: bytes[at..<at + 4], as: UTF8.self)
        let size = u32(at + 4)
        let body = at + 8
        if id == "fmt " {
            format = u16(body); channels = u16(body + 2); rate = u32(body + 4); bits = u16(body + 14)
            if format == 0xFFFE { format = u16(body + 24) }   // WAVE_FORMAT_EXTENSIBLE: sub-format GUID
        } else if id == "data" {
            guard channels > 0, bits > 0 else { fail("\(path): data before fmt") }
            let frameBytes = channels * bits / 8
            let end = min(body + size, bytes.count)
            let frames = (end - body) / frameBytes
            var mono = [Float](repeating: 0, count: frames)
            for f in 0..<frames {
                var sum: Float = 0
                for c in 0..<channels {
                    let p = body + f * frameBytes + c * bits / 8
                    switch (format, bits) {
                    case (1, 16): sum += Float(Int16(bitPattern: UInt16(u16(p)))) / 32768
                    case (1, 24): sum += Float(Int32(bitPattern: UInt32(u16(p) << 8 | Int(bytes[p + 2]) << 24)) >> 8) / 8388608
                    case (1, 32): sum += Float(Int32(bitPattern: UInt32(u32(p)))) / 2147483648
                    case (3, 32): sum += Float(bitPattern: UInt32(u32(p)))
                    default: fail("\(path): unsupported WAV format \(format) with \(bits) bits")
                    }
                }
                mono[f] = sum / Float(channels)
            }
            return (mono, rate)
        }
        at = body + size + (size & 1)
    }
    fail("\(path) has no data chunk")
}

/// Onsets found on a 10 ms RMS envelope in 5 ms hops (the level is above 5 % of the loudest hop and
/// has risen 1.8 times over the quietest of the previous 30 ms; at most one onset per 80 ms), then
/// placed to the sample: the centre of the 10 ms window whose mean power first reaches halfway from
/// the power before the note to its first peak (within 50 ms; later peaks are the new note beating
/// with the previous one's tail, and move with the gap between them). On the hops alone two captures
/// of one melody differed by 15 ms in a gap that was 250 ms in both; placed, by at most 7 ms (VM
/// captures against offline renders, native and FluidSynth, two runs).
func detectOnsets(_ samples: [Float], rate: Int) -> [Int] {
    let hop = rate / 200, window = rate / 100
    guard samples.count > window else { return [] }
    var prefix = [Double](repeating: 0, count: samples.count + 1)   // running sum of squares
    for (i, x) in samples.enumerated() { prefix[i + 1] = prefix[i] + Double(x) * Double(x) }
    func power(at start: Int) -> Double { (prefix[start + window] - prefix[start]) / Double(window) }
    var levels: [Float] = []
    var start = 0
    while start + window <= samples.count {
        levels.append(Float(power(at: start).squareRoot()))
        start += hop
    }
    let floor = max((levels.max() ?? 0) * 0.05, 1e-4)
    var onsets: [Int] = []
    var last = -1000
    for i in levels.indices where i - last >= 16 && levels[i] > floor {
        let before = levels[max(0, i - 6)..<i].min() ?? 0
        if levels[i] > 1.8 * before {
            var peakHop = i
            while peakHop + 1 < min(i + 10, levels.count) && levels[peakHop + 1] >= levels[peakHop] { peakHop += 1 }
            // The trough and the peak to the sample, so that they move less with where the hops fall.
            let earliest = max(0, (i - 6) * hop), latest = min((peakHop + 1) * hop, samples.count - window)
            let beforePower = (earliest...i * hop).map(power(at:)).min() ?? 0
            let peakPower = (i * hop...max(i * hop, latest)).map(power(at:)).max() ?? 0
            let halfway = beforePower + 0.5 * (peakPower - beforePower)
            var p = i * hop
            while p > earliest && power(at: p - 1) >= halfway { p -= 1 }
            while p < latest && power(at: p) < halfway { p += 1 }
            onsets.append(p + window / 2)
            last = i
        }
    }
    return onsets
}

/// Onsets found on the second difference of the signal (`detectOnsets` of x[n] - 2x[n-1] + x[n-2]),
/// for comparing the timing of two captures of one melody: it keeps the attacks' high frequencies
/// and takes out most of a held note's low partials, whose beating with the next note moves the
/// plain onsets. One CI capture (FluidSynth engine, `play FILE`) had a gap 18 ms off its offline
/// render on the plain onsets, 10 ms on these; the other three live/offline pairs of that run
/// differed by at most 8 ms on the plain onsets and 2 ms on these.
func detectAttacks(_ samples: [Float], rate: Int) -> [Int] {
    guard samples.count > 2 else { return [] }
    var difference = [Float](repeating: 0, count: samples.count)
    for i in 2..<samples.count { difference[i] = samples[i] - 2 * samples[i - 1] + samples[i - 2] }
    return detectOnsets(difference, rate: rate)
}

/// Fundamental frequency with YIN (cumulative mean normalised difference, threshold 0.15,
/// parabolic interpolation), 40 Hz to 2.4 kHz, from a 2048-sample window at `from`. 0 if none.
func estimatePitch(_ samples: [Float], from: Int, rate: Int) -> Double {
    let window = 2048, minTau = rate / 2400, maxTau = rate / 40
    guard from >= 0, from + window + maxTau + 1 < samples.count else { return 0 }
    var d = [Double](repeating: 0, count: maxTau + 2)
    samples.withUnsafeBufferPointer { x in
        for tau in 1...maxTau + 1 {
            var sum: Float = 0
            for i in from..<from + window {
                let delta = x[i] - x[i + tau]
                sum += delta * delta
            }
            d[tau] = Double(sum)
        }
    }
    var cmnd = [Double](repeating: 1, count: maxTau + 2)
    var running = 0.0
    for tau in 1...maxTau + 1 {
        running += d[tau]
        cmnd[tau] = running > 0 ? d[tau] * Double(tau) / running : 1
    }
    var best = -1
    var tau = minTau
    while tau <= maxTau {
        if cmnd[tau] < 0.15 {
            while tau + 1 <= maxTau && cmnd[tau + 1] < cmnd[tau] { tau += 1 }
            best = tau
            break
        }
        tau += 1
    }
    if best < 0 {
        best = (minTau...maxTau).min { cmnd[$0] < cmnd[$1] } ?? -1
        if best < 0 || cmnd[best] > 0.5 { return 0 }
    }
    let a = cmnd[best - 1], b = cmnd[best], c = cmnd[best + 1]
    let denominator = a - 2 * b + c
    let shift = denominator != 0 ? 0.5 * (a - c) / denominator : 0
    return Double(rate) / (Double(best) + shift)
}

/// Runs of 32 or more consecutive exact zeros between the first and the last non-zero sample:
/// what an underrun leaves in a loopback capture of a sound that never stops.
func countDropouts(_ samples: [Float]) -> Int {
    guard let first = samples.firstIndex(where: { $0 != 0 }),
          let last = samples.lastIndex(where: { $0 != 0 }) else { return 0 }
    var count = 0, run = 0
    for i in first...last {
        if samples[i] == 0 {
            run += 1
            if run == 32 { count += 1 }
        } else {
            run = 0
        }
    }
    return count
}
