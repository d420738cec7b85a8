/// SF2 2.04 generator operators (section 8.1.2), numbered as in the file.
public enum GeneratorType: UInt16, CaseIterable, Sendable {
    case startAddrsOffset = 0, endAddrsOffset, startloopAddrsOffset, endloopAddrsOffset
    case startAddrsCoarseOffset = 4, modLfoToPitch, vibLfoToPitch, modEnvToPitch
    case initialFilterFc = 8, initialFilterQ, modLfoToFilterFc, modEnvToFilterFc
    case endAddrsCoarseOffset = 12, modLfoToVolume, unused1, chorusEffectsSend
    case reverbEffectsSend = 16, pan, unused2, unused3, unused4
    case delayModLFO = 21, freqModLFO, delayVibLFO, freqVibLFO
    case delayModEnv = 25, attackModEnv, holdModEnv, decayModEnv, sustainModEnv, releaseModEnv
    case keynumToModEnvHold = 31, keynumToModEnvDecay
    case delayVolEnv = 33, attackVolEnv, holdVolEnv, decayVolEnv, sustainVolEnv, releaseVolEnv
    case keynumToVolEnvHold = 39, keynumToVolEnvDecay
    case instrument = 41, reserved1, keyRange, velRange, startloopAddrsCoarseOffset
    case keynum = 46, velocity, initialAttenuation, reserved2, endloopAddrsCoarseOffset
    case coarseTune = 51, fineTune, sampleID, sampleModes, reserved3, scaleTuning
    case exclusiveClass = 57, overridingRootKey, unused5, endOper

    /// Number of generator slots (0...60).
    public static let count = 61

    /// The value a generator has when no zone sets it (SF2 2.04 section 8.1.3).
    public var defaultValue: Int16 {
        switch self {
        case .initialFilterFc: return 13500
        case .delayModLFO, .delayVibLFO, .delayModEnv, .attackModEnv, .holdModEnv, .decayModEnv,
             .releaseModEnv, .delayVolEnv, .attackVolEnv, .holdVolEnv, .decayVolEnv, .releaseVolEnv:
            return -12000
        case .keyRange, .velRange: return 127 << 8  // lo 0, hi 127
        case .keynum, .velocity, .overridingRootKey: return -1
        case .scaleTuning: return 100
        default: return 0
        }
    }
}
