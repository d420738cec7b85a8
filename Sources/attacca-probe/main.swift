// attacca-probe: small tools for the VM integration harness (Tests/Integration/vm).
//   clock --device hw:Dummy,0,0 [--period 64] [--periods 4] [--rate 48000]
//       keeps a playback PCM running forever (stop_threshold = boundary), so snd-aloop
//       with timer_source=Dummy.0.0 is clocked by it. Prints "clock: running" once started.
//   analyze FILE.wav     prints key=value lines: pitch, onsets, notes, peak, dropouts
//   midi melody|dense OUT.mid [--seconds S]   writes a test MIDI file
import Glibc

func fail(_ message: String) -> Never {
    fputs("attacca-probe: \(message)\n", stderr)
    exit(2)
}

func option(_ args: [String], _ name: String, _ fallback: String) -> String {
    guard let i = args.firstIndex(of: name) else { return fallback }
    guard i + 1 < args.count else { fail("\(name) needs a value") }
    return args[i + 1]
}

func intOption(_ args: [String], _ name: String, _ fallback: Int) -> Int {
    let text = option(args, name, String(fallback))
    guard let value = Int(text) else { fail("\(name) expects a number, got '\(text)'") }
    return value
}

let usage = """
    usage: attacca-probe clock --device PCM [--period N] [--periods N] [--rate N]
           attacca-probe analyze FILE.wav
           attacca-probe midi melody|dense OUT.mid [--seconds S]
    """

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "clock":
    runClock(
        device: option(arguments, "--device", "hw:Dummy,0,0"),
        period: intOption(arguments, "--period", 64),
        periods: intOption(arguments, "--periods", 4),
        rate: intOption(arguments, "--rate", 48000))
case "analyze":
    guard arguments.count >= 2 else { fail("analyze needs a WAV file") }
    analyze(path: arguments[1])
case "midi":
    guard arguments.count >= 3 else { fail("midi needs a kind (melody or dense) and an output file") }
    writeTestMidi(kind: arguments[1], path: arguments[2], seconds: intOption(arguments, "--seconds", 30))
default:
    print(usage)
    exit(arguments.isEmpty ? 2 : (arguments.first == "--help" ? 0 : 2))
}
