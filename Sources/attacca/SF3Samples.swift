import ArgumentParser

/// Which samples of an SF3 `attacca render` decodes (`--sf3-samples`).
enum SF3Samples: String, ExpressibleByArgument, CaseIterable {
    /// Those the MIDI file's program changes can reach (`MidiFile.selectablePrograms`).
    case reachable
    /// Every sample, as `attacca play` does.
    case all
}
