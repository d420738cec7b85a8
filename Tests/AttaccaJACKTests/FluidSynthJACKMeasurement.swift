import Foundation
import Testing

/// A measurement, not a check of our code (run it with ATTACCA_MEASURE_FLUIDSYNTH_JACK=1): the
/// same probe against `fluidsynth -a jack -m jack`, whose JACK driver plays every MIDI event at
/// the start of its cycle. Prints where its onset falls for notes sent at offsets 37 and 5.
@Suite(.serialized, .enabled(if: TestJACKServer.isInstalled && FileManager.default.isExecutableFile(atPath: "/usr/bin/fluidsynth")
    && ProcessInfo.processInfo.environment["ATTACCA_MEASURE_FLUIDSYNTH_JACK"] != nil,
    "a measurement: set ATTACCA_MEASURE_FLUIDSYNTH_JACK=1 (needs jackd and fluidsynth)"))
struct FluidSynthJACKMeasurement {
    @Test func fluidSynthPlacesJACKMidiAtTheCycleStart() throws {
        let server = try TestJACKServer()
        let probes = try ProbeClients(server: server.name, offset: 37, recordFrames: 24_000)
        defer { probes.close() }
        let fluidsynth = Process()
        fluidsynth.executableURL = URL(fileURLWithPath: "/usr/bin/fluidsynth")
        fluidsynth.arguments = ["-a", "jack", "-m", "jack", "-i", "-s", "-r", "48000", "-R", "0", "-C", "0",
                                "-o", "audio.jack.autoconnect=0", "-o", "audio.jack.server=\(server.name)",
                                "-o", "midi.jack.server=\(server.name)", PlayerRun.timGM]
        fluidsynth.standardInput = FileHandle.nullDevice
        fluidsynth.standardOutput = FileHandle.nullDevice
        fluidsynth.standardError = FileHandle.nullDevice
        try fluidsynth.run()
        // Its server mode (-s) does not end on SIGTERM.
        defer { kill(fluidsynth.processIdentifier, SIGKILL); fluidsynth.waitUntilExit() }
        let deadline = Date().addingTimeInterval(10)
        while !(probes.hasPort("fluidsynth-midi:midi_00") && probes.hasPort("fluidsynth-midi:left")) {
            try #require(Date() < deadline, "fluidsynth's ports did not appear")
            usleep(50_000)
        }
        try probes.connect("probe-send:midi_out", "fluidsynth-midi:midi_00")
        try probes.connect("fluidsynth-midi:left", "probe-record:in")
        usleep(500_000)
        let reference = try #require(try ReferenceOnset.frames(key: 69, rate: server.rate))
        for offset: UInt32 in [37, 5] {
            _ = try probes.sendAndRecord([0xB0, 120, 0])
            usleep(100_000)
            let (samples, sent) = try probes.sendAndRecord([0x90, 69, 100], at: offset)
            let onset = try #require(samples.firstIndex { $0 != 0 })
            print("fluidsynth JACK: sent at offset \(offset), first sound \(onset - sent) frames after the send "
                + "(Attacca's offline render: \(reference)); the cycle started \(offset) frames before the send")
        }
    }
}
