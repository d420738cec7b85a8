// libFuzzer entry point for the SoundFont reader. Compiled into the AttaccaCore module by
// Tests/Fuzz/run (not part of the Swift package): parses the input with `SoundFont(bytes:)` and
// with `SoundFont(path:)` (from a temporary file) and checks that both agree, then
// walks what a synthesizer walks after loading (presets, their zones, instruments, samples and
// the sample points they name) and checks the promises the model makes, so a reader bug that
// yields an out-of-range index crashes here instead of on stage. Work per input is bounded.

#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func soundFontFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let viaBytes = Result { () throws(SoundFontError) in try SoundFont(bytes: bytes) }
    // The path a user's file takes: read into memory, smpl used in place (or copied when at an odd offset).
    // It must agree with the in-memory load on every input.
    let viaPath = SoundFontFuzzFile.shared.load(bytes)
    switch (viaBytes, viaPath) {
    case let (.failure(error), .failure(pathError)):
        precondition(error == pathError, "bytes: \(error); path: \(pathError)")
        // Every error must describe itself (names from the file may hold any character, so only
        // emptiness is checked).
        precondition(!error.description.isEmpty, "empty error text")
    case let (.success(soundFont), .success(mapped)):
        precondition(soundFont.info == mapped.info && soundFont.presets == mapped.presets
                     && soundFont.instruments == mapped.instruments && soundFont.samples == mapped.samples,
                     "path and bytes loads differ")
        precondition(soundFont.sampleData.elementsEqual(mapped.sampleData), "sample data differs")
        precondition((soundFont.sampleData24 == nil) == (mapped.sampleData24 == nil), "sm24 presence differs")
        if let low = soundFont.sampleData24, let mappedLow = mapped.sampleData24 {
            precondition(low.elementsEqual(mappedLow), "sm24 data differs")
        }
        SoundFontFuzzWalk.walk(soundFont)
        SoundFontFuzzWalk.walk(mapped)
    case let (.success, .failure(error)):
        preconditionFailure("loads from bytes, fails from a file: \(error)")
    case let (.failure(error), .success):
        preconditionFailure("loads from a file, fails from bytes: \(error)")
    }
    return 0
}

/// One unlinked temporary file per fuzzer process, rewritten for each input and opened by
/// `SoundFont(path:)` through /proc/self/fd.
final class SoundFontFuzzFile {
    static let shared = SoundFontFuzzFile()
    let descriptor: Int32
    let path: String

    init() {
        let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let name = "\(directory)/attacca-sf2-fuzz-\(getpid())"
        descriptor = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "cannot create \(name)")
        unlink(name)
        path = "/proc/self/fd/\(descriptor)"
    }

    func load(_ bytes: [UInt8]) -> Result<SoundFont, SoundFontError> {
        precondition(ftruncate(descriptor, 0) == 0)
        precondition(bytes.isEmpty || pwrite(descriptor, bytes, bytes.count, 0) == bytes.count)
        return Result { () throws(SoundFontError) in try SoundFont(path: path) }
    }
}

enum SoundFontFuzzWalk {
    /// Sample points read per sample region: enough to touch both ends, bounded per input.
    static let pointsPerRegion = 16

    static func walk(_ soundFont: SoundFont) {
        let sampleCount = soundFont.sampleData.count
        if let low = soundFont.sampleData24 {
            precondition(low.count == sampleCount, "sm24 holds \(low.count) bytes for \(sampleCount) points")
        }
        var checksum = 0

        for sample in soundFont.samples {
            precondition(0 <= sample.start && sample.start <= sample.end && sample.end <= sampleCount,
                         "sample \(sample.name): \(sample.start)..<\(sample.end) outside \(sampleCount) points")
            precondition(0 <= sample.loopStart && sample.loopStart <= sampleCount,
                         "sample \(sample.name): loop start \(sample.loopStart) outside \(sampleCount) points")
            precondition(0 <= sample.loopEnd && sample.loopEnd <= sampleCount,
                         "sample \(sample.name): loop end \(sample.loopEnd) outside \(sampleCount) points")
            checksum &+= touch(soundFont, sample.start..<sample.end)
            checksum &+= touch(soundFont, sample.loopStart..<max(sample.loopStart, sample.loopEnd))
        }

        for instrument in soundFont.instruments {
            if let global = instrument.globalZone {
                precondition(global.sampleIndex == nil, "instrument \(instrument.name): global zone names a sample")
                checksum &+= check(global)
            }
            for zone in instrument.zones {
                checksum &+= check(zone)
                guard let index = zone.sampleIndex else { preconditionFailure("instrument \(instrument.name): zone without sample") }
                precondition(index < soundFont.samples.count, "instrument \(instrument.name): sample \(index) of \(soundFont.samples.count)")
                checksum &+= soundFont.samples[index].sampleRate
            }
        }

        for preset in soundFont.presets {
            if let global = preset.globalZone {
                precondition(global.instrumentIndex == nil, "preset \(preset.name): global zone names an instrument")
                checksum &+= check(global)
            }
            for zone in preset.zones {
                checksum &+= check(zone)
                guard let index = zone.instrumentIndex else { preconditionFailure("preset \(preset.name): zone without instrument") }
                precondition(index < soundFont.instruments.count, "preset \(preset.name): instrument \(index) of \(soundFont.instruments.count)")
                // What a note-on does: pick the instrument zones the key and velocity fall in.
                let instrument = soundFont.instruments[index]
                for instrumentZone in instrument.zones
                where instrumentZone.generators.keyRange.contains(60) && instrumentZone.generators.velocityRange.contains(100) {
                    let sample = soundFont.samples[instrumentZone.sampleIndex!]
                    checksum &+= touch(soundFont, sample.start..<sample.end)
                }
            }
            let found = soundFont.preset(bank: preset.bank, program: preset.program)
            precondition(found != nil, "preset \(preset.name) not found by its own bank and program")
        }
        _ = soundFont.info.name.utf8.count + (soundFont.info.comment?.utf8.count ?? 0)
        blackHole(checksum)
    }

    /// Generator slots and ranges of one zone.
    static func check(_ zone: Zone) -> Int {
        precondition(zone.generators.values.count == GeneratorType.count, "generator slots: \(zone.generators.values.count)")
        let keys = zone.generators.keyRange, velocities = zone.generators.velocityRange
        precondition(keys.lowerBound <= keys.upperBound && velocities.lowerBound <= velocities.upperBound)
        var sum = Int(keys.lowerBound) + Int(velocities.upperBound) + zone.modulators.count
        for modulator in zone.modulators.prefix(4) { sum &+= Int(modulator.amount) }
        return sum
    }

    /// Reads the first and last points of `range` (and their sm24 bytes): bounded work.
    static func touch(_ soundFont: SoundFont, _ range: Range<Int>) -> Int {
        var sum = 0
        let head = range.prefix(pointsPerRegion), tail = range.suffix(pointsPerRegion)
        for index in head { sum &+= Int(soundFont.sampleData[index]) &+ Int(soundFont.sampleData24?[index] ?? 0) }
        for index in tail { sum &+= Int(soundFont.sampleData[index]) &+ Int(soundFont.sampleData24?[index] ?? 0) }
        return sum
    }
}

/// Keeps a value alive so the optimizer cannot drop the reads that produced it.
@inline(never)
func blackHole(_ value: Int) {
    if value == 0x5EED_F00D_5EED_F00D { print("") }
}
