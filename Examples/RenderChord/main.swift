// The smallest program that embeds Attacca's render core: it plays a C major chord on the
// default SoundFont's piano and writes two seconds of it to chord.wav (16-bit stereo).
//
//     swift run render-chord [output.wav]
import AttaccaAssets
import AttaccaCore
import Foundation

let sampleRate = 48000
let seconds = 2
let output = CommandLine.arguments.dropFirst().first ?? "chord.wav"

var synthesizer = try Synthesizer(soundFont: DefaultSoundFont.make(),
                                  settings: SynthesizerSettings(sampleRate: sampleRate, gain: 0.5))
for key in [60, 64, 67] {
    synthesizer.send(.noteOn(channel: 0, key: key, velocity: 100))
}

// Render in 256-frame blocks, releasing the chord after one second.
let frameCount = sampleRate * seconds, blockSize = 256
var left = [Float](repeating: 0, count: frameCount), right = left
for start in stride(from: 0, to: frameCount, by: blockSize) {
    if start == sampleRate {
        for key in [60, 64, 67] { synthesizer.send(.noteOff(channel: 0, key: key)) }
    }
    let count = min(blockSize, frameCount - start)
    left.withUnsafeMutableBufferPointer { l in
        right.withUnsafeMutableBufferPointer { r in
            synthesizer.render(left: l.baseAddress! + start, right: r.baseAddress! + start, frameCount: count)
        }
    }
}

// A canonical 44-byte WAV header, then interleaved little-endian 16-bit samples.
var wav = Data()
func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { wav.append(contentsOf: $0) } }
let dataSize = UInt32(frameCount * 4)
wav.append(contentsOf: Array("RIFF".utf8)); append(36 + dataSize); wav.append(contentsOf: Array("WAVEfmt ".utf8))
append(UInt32(16)); append(UInt16(1)); append(UInt16(2)); append(UInt32(sampleRate))
append(UInt32(sampleRate * 4)); append(UInt16(4)); append(UInt16(16))
wav.append(contentsOf: Array("data".utf8)); append(dataSize)
var peak: Float = 0
for i in 0..<frameCount {
    for sample in [left[i], right[i]] {
        peak = max(peak, abs(sample))
        append(Int16((max(-1, min(1, sample)) * 32767).rounded()))
    }
}
try wav.write(to: URL(fileURLWithPath: output))
print("wrote \(output): \(seconds) s, peak \(String(format: "%.1f", 20 * log10(max(peak, 1e-9)))) dBFS")
