import AttaccaCore

/// The generated melodic instruments of the default SoundFont and which General MIDI program
/// plays which of them (raw values are the instruments' indices in the font).
///
/// Mapping, by GM program (0-based):
/// - 0-15 piano and chromatic percussion, 112-119 percussive → `piano`
/// - 16-23 organ, accordion, harmonica; 64-79 reed and pipe; 80-87 synth leads;
///   109 bagpipe, 111 shanai → `organ`
/// - 32-39 bass → `bass`; 24-31 guitars and 104-108 plucked ethnic (sitar, banjo, shamisen,
///   koto, kalimba) → `bass` made brighter by preset-level generators
/// - 40-55 strings and ensembles, 88-95 synth pads, 96-103 synth effects, 110 fiddle,
///   120-127 sound effects → `strings`; 56-63 brass → `strings` with a faster attack, brighter
enum GeneralMidiVoice: Int, CaseIterable {
    case piano = 0, organ, bass, strings

    static func forProgram(_ program: Int) -> GeneralMidiVoice {
        switch program {
        case 0...15, 112...119: return .piano
        case 16...23, 64...87, 109, 111: return .organ
        case 24...39, 104...108: return .bass
        default: return .strings
        }
    }

    /// Preset-level generators (added to the instrument's) that move a family's sound toward its
    /// GM program: guitars brighter and longer than the bass, brass faster than the strings.
    static func adjustments(forProgram program: Int) -> GeneratorSet {
        var generators = GeneratorSet()
        switch program {
        case 24...31, 104...108:  // guitars, plucked ethnic
            generators[.initialFilterFc] = 1900
            generators[.decayModEnv] = 700
            generators[.decayVolEnv] = -600
        case 38, 39:  // synth basses: more resonance
            generators[.initialFilterQ] = 90
        case 56...63:  // brass
            generators[.attackVolEnv] = -2400
            generators[.initialFilterFc] = 1200
        default:
            break
        }
        return generators
    }
}
