import ArgumentParser
import AttaccaAudioFile
import AttaccaCore
import Foundation

/// `attacca render`: a MIDI file to a WAV or FLAC file, offline, as fast as the engine goes.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a MIDI file to a WAV or FLAC file.",
        discussion: """
            Renders until the end of the MIDI file, then the release tail (--tail seconds, stopping \
            early once every voice is silent and the reverb's tail is below -90 dBFS). The output \
            appears only when complete.
            """
    )

    @Argument(help: ArgumentHelp("The Standard MIDI File to render.", valueName: "midi-file"))
    var midiFile: String

    @Option(name: [.customShort("o"), .customShort("F"), .customLong("output")],
            help: ArgumentHelp("The audio file to write (.wav or .flac). -F is an alias, as in fluidsynth.", valueName: "path"))
    var output: String

    @OptionGroup var engineOptions: EngineOptions

    @Option(name: [.short, .long], parsing: .unconditional, help: "Sample rate in Hz (8000...192000; 96000 with fluidsynth).")
    var rate: Int = 48000

    @Option(help: "File format: wav or flac (default: from the output's extension).")
    var format: AudioFileFormat?

    @Option(name: .customLong("bit-depth"), parsing: .unconditional, help: "Bits per sample: 16 or 24 (WAV or FLAC), 32 (float WAV).")
    var bitDepth: Int = 16

    @Option(help: ArgumentHelp(
        "on: TPDF dither (±1 LSB) before rounding to 16 bits, so quiet passages keep their detail as noise, not distortion. 24- and 32-bit files are never dithered.",
        valueName: "on|off"))
    var dither: Switch = .on

    @Option(name: .customLong("sf3-samples"), help: ArgumentHelp(
        "reachable: an SF3 decodes only the samples of presets whose program the MIDI file selects (any bank; program 0 always), for a faster start; all: every sample. The audio is the same.",
        valueName: "reachable|all"))
    var sf3Samples: SF3Samples = .reachable

    @Option(parsing: .unconditional, help: ArgumentHelp("Longest release tail after the last event, in seconds (0...60).", valueName: "seconds"))
    var tail: Double = 2

    @Option(name: .customLong("max-seconds"), parsing: .unconditional, help: ArgumentHelp(
        "Longest render accepted, in seconds: a MIDI file lasting longer is refused before anything is written.",
        valueName: "seconds"))
    var maxSeconds: Double = RenderCommand.defaultMaxSeconds

    /// 24 hours: a few bytes of tempo and delta time can ask for a million hours of audio, which
    /// FLAC (unlike WAV with its 4 GiB) would render for ever.
    static let defaultMaxSeconds: Double = 86_400

    /// The container: `--format`, else the output's extension.
    var resolvedFormat: AudioFileFormat? { format ?? AudioFileFormat(path: output) }

    var sampleFormat: AudioSampleFormat {
        switch bitDepth {
        case 24: .int24
        case 32: .float32
        default: .int16
        }
    }

    func validate() throws {
        if midiFile.isEmpty { throw ValidationError("the MIDI file name is empty") }
        if output.isEmpty { throw ValidationError("--output needs a file name") }
        guard (8000...192_000).contains(rate) else {
            throw ValidationError("--rate must be between 8000 and 192000 Hz, not \(rate)")
        }
        if engineOptions.engine == .fluidsynth && rate > 96_000 {
            throw ValidationError("--rate must be between 8000 and 96000 Hz with --engine fluidsynth, not \(rate)")
        }
        guard maxSeconds.isFinite, maxSeconds > 0 else {
            throw ValidationError("--max-seconds must be a number of seconds above 0, not \(maxSeconds)")
        }
        guard tail.isFinite, (0...60).contains(tail) else {
            throw ValidationError("--tail must be between 0 and 60 seconds, not \(tail)")
        }
        guard [16, 24, 32].contains(bitDepth) else {
            throw ValidationError("--bit-depth must be 16, 24 or 32, not \(bitDepth)")
        }
        guard let format = resolvedFormat else {
            throw ValidationError("cannot tell the format of '\(output)' from its name: use --format wav or --format flac")
        }
        if format == .flac && bitDepth == 32 {
            throw ValidationError("FLAC holds 16- or 24-bit samples: use --bit-depth 16 or 24, or a WAV file")
        }
    }

    /// A WAV file's sizes are 32-bit: a render that could pass 4 GiB would end in a file no
    /// reader takes (or a disk filled for hours first, with huge MIDI delta times), so it is
    /// refused before it starts; FLAC has no such limit.
    func checkWAVSize(seconds: Double) throws {
        guard (resolvedFormat ?? .wav) == .wav else { return }
        let bytesPerSecond = Double(rate * 2 * sampleFormat.bitDepth / 8)
        let limitSeconds = (Double(UInt32.max) - 65536) / bytesPerSecond
        guard seconds > limitSeconds else { return }
        let hours = { (value: Double) in value < 1e6 ? String(format: "%.1f hours", value / 3600) : String(format: "%.2g hours", value / 3600) }
        throw CommandFailure("'\(midiFile)' lasts \(hours(seconds)): as \(bitDepth)-bit WAV at \(rate) Hz that is more than the 4 GiB "
            + "a WAV file can hold (\(hours(limitSeconds))); render it to FLAC")
    }

    /// Every format: a render longer than --max-seconds is refused, saying how to allow it.
    func checkLength(seconds: Double) throws {
        guard !(seconds <= maxSeconds) else { return }
        let hours = { (value: Double) in value < 1e6 ? String(format: "%.1f hours", value / 3600) : String(format: "%.2g hours", value / 3600) }
        throw CommandFailure("'\(midiFile)' lasts \(hours(seconds)), more than the \(hours(maxSeconds)) of --max-seconds "
            + "\(String(format: "%g", maxSeconds)); raise --max-seconds to render it")
    }

    func run() throws {
        let midi: MidiFile
        do {
            midi = try MidiFile(path: midiFile)
        } catch {
            switch error {
            case .unreadableFile, .fileTooLarge: throw error
            default: throw CommandFailure("'\(midiFile)': \(error)")
            }
        }
        try checkWAVSize(seconds: midi.duration + tail)
        try checkLength(seconds: midi.duration + tail)
        InterruptFlag.install()
        let file = AudioFileOutput(try AudioFileWriter(path: output, format: resolvedFormat ?? .wav, sampleRate: rate,
                                                       sampleFormat: sampleFormat))
        var job = RenderJob(midiFile: midi, output: file, tailSeconds: tail, showsProgress: StandardError.isTerminal)
        job.limits = engineOptions.limiter == .on
        job.dithers = dither == .on && sampleFormat == .int16
        do {
            let result = try engineOptions.withEngine(sampleRate: rate, programs: sf3Samples == .reachable ? midi.selectablePrograms : nil, job)
            print(result.summary)
        } catch is RenderInterrupted {
            StandardError.write("attacca: error: interrupted; nothing was written to '\(output)'")
            throw ExitCode(128 + InterruptFlag.signalNumber)
        }
    }
}
