import ArgumentParser

/// Which synthesizer renders: Attacca's own, or libfluidsynth (the reference and fallback).
enum EngineKind: String, CaseIterable, ExpressibleByArgument {
    case native
    case fluidsynth
}
