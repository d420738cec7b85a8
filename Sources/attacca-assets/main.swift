// Regenerates the committed assets from code: SoundFonts/Attacca.sf2 from DefaultSoundFont and
// Examples/*.mid from ExampleMidiFiles.
//
//   swift run attacca-assets           writes the files (run from the package root)
//   swift run attacca-assets --check   writes nothing; exits 1 if a committed file differs
import AttaccaAssets
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole file at `path`, or nil when it cannot be read.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return ferror(file) == 0 ? bytes : nil
}

func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
    guard let file = fopen(path, "wb") else { return false }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    return fclose(file) == 0 && written == bytes.count
}

func fail(_ message: String) -> Never {
    fputs("attacca-assets: \(message)\n", stderr)
    exit(1)
}

let arguments = CommandLine.arguments.dropFirst()
let check = arguments.contains("--check")
if let unknown = arguments.first(where: { $0 != "--check" }) {
    fail("unknown argument \(unknown); usage: attacca-assets [--check]")
}

let soundFont = DefaultSoundFont.make()
var outputs: [(path: String, bytes: [UInt8], what: String)] = [
    ("SoundFonts/Attacca.sf2", SoundFontWriter.bytes(for: soundFont),
     "\(soundFont.presets.count) presets, \(soundFont.instruments.count) instruments, "
        + "\(soundFont.samples.count) samples, \(soundFont.sampleData.count) sample points"),
]
for example in ExampleMidiFiles.all() {
    outputs.append(("Examples/\(example.name)", example.bytes, "MIDI file"))
}

var stale = 0
for output in outputs {
    if check {
        if readFile(output.path) == output.bytes {
            print("up to date: \(output.path)")
        } else {
            print("differs from the generator's output: \(output.path)")
            stale += 1
        }
    } else {
        let directory = String(output.path.prefix(upTo: output.path.lastIndex(of: "/") ?? output.path.startIndex))
        if !directory.isEmpty { mkdir(directory, 0o755) }
        guard writeFile(output.path, output.bytes) else { fail("cannot write \(output.path)") }
        print("wrote \(output.path): \(output.bytes.count) bytes (\(output.what))")
    }
}
if stale > 0 {
    fail("\(stale) file(s) out of date; run `swift run attacca-assets` and commit the result")
}
