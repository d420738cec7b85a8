// attacca-probe: small tools for the VM integration harness (Tests/Integration/vm).
//   clock --device hw:Dummy,0,0 [--period 64] [--periods 4] [--rate 48000]
//       keeps a playback PCM running forever (stop_threshold = boundary), so snd-aloop
//       with timer_source=Dummy.0.0 is clocked by it. Prints "clock: running" once started.
//   analyze FILE.wav     prints key=value lines: pitch, onsets, notes, peak, dropouts
//   midi melody|dense OUT.mid [--seconds S] [--lead-ms N]   writes a test MIDI file (melody: first note at N ms, 500)
//   flood --to PORT [--rate 20000] [--seconds 60] [--max-held 64] [--program 19] [--seed 1]
//       note-ons/offs in random order on 16 channels into a sequencer port, paced by the clock
//   burn --milliseconds N [--priority P]   keeps the CPU busy (at SCHED_FIFO P if given)
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
           attacca-probe midi melody|dense OUT.mid [--seconds S] [--lead-ms N]
           attacca-probe flood --to PORT [--rate N] [--seconds N] [--max-held N] [--program N] [--seed N]
           attacca-probe burn --milliseconds N [--priority P]
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
    writeTestMidi(kind: arguments[1], path: arguments[2], seconds: intOption(arguments, "--seconds", 30),
                  leadMilliseconds: intOption(arguments, "--lead-ms", 500))
case "flood":
    runFlood(destination: option(arguments, "--to", ""), rate: intOption(arguments, "--rate", 20000),
             seconds: intOption(arguments, "--seconds", 60), maxHeld: intOption(arguments, "--max-held", 64),
             program: intOption(arguments, "--program", 19), seed: UInt64(max(0, intOption(arguments, "--seed", 1))))
case "burn":
    runBurn(milliseconds: intOption(arguments, "--milliseconds", 0), priority: intOption(arguments, "--priority", 0))
default:
    print(usage)
    exit(arguments.isEmpty ? 2 : (arguments.first == "--help" ? 0 : 2))
}
