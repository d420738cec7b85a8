// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Attacca",
    products: [
        .library(name: "AttaccaCore", targets: ["AttaccaCore"]),
        .library(name: "AttaccaFluid", targets: ["AttaccaFluid"]),
        .library(name: "AttaccaALSA", targets: ["AttaccaALSA"]),
        .library(name: "AttaccaJACK", targets: ["AttaccaJACK"]),
        .library(name: "AttaccaPipeWire", targets: ["AttaccaPipeWire"]),
        .executable(name: "attacca", targets: ["attacca"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // C libraries, found through pkg-config; `scripts/setup` installs the Debian packages.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        // FluidSynth's header only: libfluidsynth is opened at run time (dlopen), so the native engine
        // starts without it and its dependencies (Sources/CFluidSynth/shim.h).
        .systemLibrary(name: "CFluidSynth", providers: [.apt(["libfluidsynth-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CVorbis", pkgConfig: "vorbisfile", providers: [.apt(["libvorbis-dev"])]),
        .systemLibrary(name: "CJack", pkgConfig: "jack", providers: [.apt(["libjack-jackd2-dev"])]),
        .systemLibrary(name: "CPipeWire", pkgConfig: "libpipewire-0.3", providers: [.apt(["libpipewire-0.3-dev"])]),

        // Pure Swift: SoundFont and MIDI file readers, the synthesizer. No ALSA, no Foundation.
        .target(name: "AttaccaCore"),
        // The Ogg Vorbis decoder for SF3 samples (libvorbisfile), plugged into AttaccaCore's
        // `SoundFont.decompressed(with:)`.
        .target(name: "AttaccaVorbis", dependencies: ["AttaccaCore", "CVorbis"]),
        // Writers for SF2 and MIDI files and the generator of the default SoundFont and the examples.
        .target(name: "AttaccaAssets", dependencies: ["AttaccaCore"]),
        // The FluidSynth engine behind the same `SoundEngine` interface.
        .target(name: "AttaccaFluid", dependencies: ["AttaccaCore", "CFluidSynth"]),
        // Audio files through libsndfile.
        .target(name: "AttaccaAudioFile", dependencies: ["CSndFile"]),
        // Pure Swift audio metrics for comparing renders (envelope correlation, log-spectral distance).
        .target(name: "AttaccaAnalysis"),
        // Typed wrappers over alsa-lib: sequencer input, PCM output, the audio thread.
        .target(name: "AttaccaALSA", dependencies: ["AttaccaCore", "CALSA"]),
        // Typed wrappers over libjack: a JACK client with two audio outputs and a MIDI input, the
        // process callback (sample-accurate JACK MIDI), reconnection after a server shutdown.
        .target(name: "AttaccaJACK", dependencies: ["AttaccaCore", "AttaccaALSA", "CJack"]),
        // A native PipeWire node (libpipewire's pw_filter): two audio outputs and a MIDI input on
        // PipeWire's real-time thread, latency from the driver's own clock and delay.
        .target(name: "AttaccaPipeWire", dependencies: ["AttaccaCore", "AttaccaALSA", "CPipeWire"]),
        // Note-on latency off the audio thread: HdrHistograms, the report, its socket, text and SVG.
        .target(name: "AttaccaLatency", dependencies: ["AttaccaALSA", .product(name: "Histogram", package: "hdrhistogram-swift")]),

        .executableTarget(
            name: "attacca",
            dependencies: [
                "AttaccaCore", "AttaccaAssets", "AttaccaFluid", "AttaccaAudioFile", "AttaccaALSA", "AttaccaJACK", "AttaccaPipeWire", "AttaccaLatency", "AttaccaVorbis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Regenerates SoundFonts/Attacca.sf2 and the MIDI files in Examples/.
        .executableTarget(name: "attacca-assets", dependencies: ["AttaccaAssets"]),
        // Tools for the VM integration harness (Tests/Integration/vm): PCM clock, capture analysis, test MIDI,
        // a MIDI flood sender, a CPU burner.
        .executableTarget(name: "attacca-probe", dependencies: ["CALSA", "AttaccaAssets"]),
        // The minimal embedding example: renders a chord with AttaccaCore alone.
        .executableTarget(name: "render-chord", dependencies: ["AttaccaCore", "AttaccaAssets"], path: "Examples/RenderChord"),

        // Measurements reported by hand, not tests: `attacca-bench load|render|voices|allocations|compare`; `Benchmarks/run`.
        .executableTarget(name: "attacca-bench", dependencies: ["AttaccaCore", "AttaccaAssets", "AttaccaFluid", "AttaccaAnalysis", "AttaccaVorbis", "CAllocationCounter"],
                          path: "Benchmarks/attacca-bench"),

        // Counts malloc calls so tests can prove the render path allocates nothing.
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),

        .testTarget(name: "AttaccaCoreTests", dependencies: ["AttaccaCore", "AttaccaAssets", "CAllocationCounter"]),
        .testTarget(name: "AttaccaFluidTests", dependencies: ["AttaccaCore", "AttaccaAssets", "AttaccaFluid", "AttaccaAudioFile", "AttaccaAnalysis", "AttaccaVorbis"]),
        .testTarget(name: "AttaccaAnalysisTests", dependencies: ["AttaccaAnalysis"]),
        .testTarget(name: "AttaccaALSATests", dependencies: ["AttaccaCore", "AttaccaAssets", "AttaccaALSA", "CALSA", "CAllocationCounter"]),
        .testTarget(name: "AttaccaJACKTests", dependencies: ["attacca", "AttaccaCore", "AttaccaAssets", "AttaccaALSA", "AttaccaJACK", "CJack", "AttaccaAudioFile"]),
        .testTarget(name: "AttaccaLatencyTests", dependencies: ["AttaccaALSA", "AttaccaLatency"]),
        .testTarget(name: "AttaccaCLITests", dependencies: ["attacca", "AttaccaCore", "AttaccaAudioFile"]),
    ],
    swiftLanguageModes: [.v5]
)
