/// A modulator ready to evaluate: the SF2 record with its destination resolved, read by voices
/// when they start and whenever one of their channel's controllers changes.
///
/// Evaluation follows FluidSynth 2.3 (`fluid_mod_get_value`): 7-bit sources are normalised by
/// 128 (so the pan centre 64 maps to exactly 0), the pitch wheel by 16384; a primary source of
/// "no controller" makes the output 0, a secondary one makes it 1. Pitch wheel sensitivity is
/// normalised by 127 as the SF2 spec says, so 12700 × sensitivity/127 is 100 cents per semitone
/// (by 128 as FluidSynth with `SynthesizerSettings.PitchArithmetic.fluidSynth`).
struct CompiledModulator: Equatable {
    var source: UInt16
    var amountSource: UInt16
    /// Destination generator index, 0..<GeneratorType.count.
    var destination: Int
    var amount: Float
    var absoluteValue: Bool

    @_noLocks
    init(source: UInt16, amountSource: UInt16, destination: Int, amount: Float, absoluteValue: Bool) {
        self.source = source
        self.amountSource = amountSource
        self.destination = destination
        self.amount = amount
        self.absoluteValue = absoluteValue
    }

    /// Same identity rule as SF2 2.04 section 9.5.1: all but the amount match.
    @_noLocks
    func isIdentical(to other: CompiledModulator) -> Bool {
        source == other.source && amountSource == other.amountSource
            && destination == other.destination && absoluteValue == other.absoluteValue
    }

    /// Whether this is (in FluidSynth's sense: same sources and destination, any amount) the SF2
    /// 2.04 section 8.4.2 default "velocity -> filter cutoff" modulator, which FluidSynth evaluates
    /// as 0 (docs/SOUNDFONT.md, "Velocity and brightness").
    var isDefaultVelocityToFilter: Bool {
        source == 0x0102 && amountSource == 0x0C02 && destination == 8 /* initialFilterFc */
    }

    /// The modulator's contribution to its destination, in the destination's units.
    @_noLocks
    @inline(__always)
    func value(_ context: ModulationContext) -> Float {
        guard source & 0x7F != 0 || source & 0x80 != 0 else { return 0 }
        let v1 = Self.sourceValue(source, context)
        if v1 == 0 { return 0 }
        let v2: Float = (amountSource & 0x7F == 0 && amountSource & 0x80 == 0) ? 1 : Self.sourceValue(amountSource, context)
        let result = amount * v1 * v2
        return absoluteValue && result < 0 ? -result : result
    }

    /// A source operand's mapped value: the controller normalised, then shaped by the curve.
    @_noLocks
    @inline(__always)
    static func sourceValue(_ source: UInt16, _ context: ModulationContext) -> Float {
        let index = Int(source & 0x7F)
        var raw: Float
        var range: Float = 128
        if source & 0x80 != 0 {
            raw = Float(context.controllers[index])
        } else {
            switch index {
            case 2: raw = Float(context.velocity)
            case 3: raw = Float(context.key)
            case 10: raw = Float(context.keyPressure[context.noteKey & 127])
            case 13: raw = Float(context.channelPressure)
            case 14:
                raw = Float(context.pitchBend)
                range = 16384
            case 16:
                raw = context.pitchWheelSensitivity
                range = context.pitchWheelSensitivityRange
            default: return 0
            }
        }
        let flags = Int(source >> 8)  // bit 0 direction, bit 1 polarity, bits 2... curve type
        return map(raw / range, negative: flags & 1 != 0, bipolar: flags & 2 != 0, curve: flags >> 2)
    }

    /// Maps a normalised controller value (0...1) through the SF2 curve types.
    @_noLocks
    @inline(__always)
    static func map(_ normalized: Float, negative: Bool, bipolar: Bool, curve: Int) -> Float {
        switch curve {
        case 0:  // linear
            if bipolar { return negative ? 1 - 2 * normalized : -1 + 2 * normalized }
            return negative ? 1 - normalized : normalized
        case 1, 2:  // concave, convex
            let isConcave = curve == 1
            if bipolar {
                let upper = normalized > 0.5
                let x = upper ? 127 * 2 * (normalized - 0.5) : 127 * 2 * (0.5 - normalized)
                let y = isConcave ? concave(x) : convex(x)
                return (upper != negative) ? y : -y
            }
            let x = 127 * (negative ? 1 - normalized : normalized)
            return isConcave ? concave(x) : convex(x)
        case 3:  // switch
            let on = normalized >= 0.5
            if bipolar { return (on != negative) ? 1 : -1 }
            return (on != negative) ? 1 : 0
        default:
            return 0
        }
    }

    /// The SF2 concave curve at integer point `i` of 0...127: -(20/96) log10(((127-i)/127)^2),
    /// with 0 at 0 and 1 at 127 (FluidSynth's table).
    @_noLocks
    @inline(__always)
    static func concavePoint(_ i: Int) -> Float {
        if i <= 0 { return 0 }
        if i >= 127 { return 1 }
        return Float(-(5.0 / 12.0) * 0.301029995663981195 * FastMath.log2(Double(127 - i) / 127.0))
    }

    /// The SF2 convex curve at integer point `i`: 1 + (20/96) log10((i/127)^2).
    @_noLocks
    @inline(__always)
    static func convexPoint(_ i: Int) -> Float {
        if i <= 0 { return 0 }
        if i >= 127 { return 1 }
        return Float(1 + (5.0 / 12.0) * 0.301029995663981195 * FastMath.log2(Double(i) / 127.0))
    }

    /// Concave curve at `x` in 0...127, interpolated between integer points like FluidSynth.
    @_noLocks
    @inline(__always)
    static func concave(_ x: Float) -> Float {
        if x < 0 { return 0 }
        let i = Int(x)
        if i >= 127 { return 1 }
        let a = concavePoint(i)
        return a + (concavePoint(i + 1) - a) * (x - Float(i))
    }

    /// Convex curve at `x` in 0...127, interpolated between integer points.
    @_noLocks
    @inline(__always)
    static func convex(_ x: Float) -> Float {
        if x < 0 { return 0 }
        let i = Int(x)
        if i >= 127 { return 1 }
        let a = convexPoint(i)
        return a + (convexPoint(i + 1) - a) * (x - Float(i))
    }

    /// The default modulators, without the velocity -> filter cutoff one when `velocityToFilter` is false
    /// (see `SynthesizerSettings.velocityToFilterModulator`).
    static func defaults(velocityToFilter: Bool) -> [CompiledModulator] {
        velocityToFilter ? defaults
            : defaults.filter { $0.destination != Int(GeneratorType.initialFilterFc.rawValue) }
    }

    /// The SF2 2.04 section 8.4 default modulators, as FluidSynth 2.3 defines them.
    static let defaults: [CompiledModulator] = {
        func mod(_ source: UInt16, _ amountSource: UInt16, _ destination: GeneratorType, _ amount: Float) -> CompiledModulator {
            CompiledModulator(source: source, amountSource: amountSource, destination: Int(destination.rawValue),
                              amount: amount, absoluteValue: false)
        }
        // Source bits: index 0-6, CC 7, direction 8 (1 = negative), polarity 9 (1 = bipolar), type 10-15.
        let concave: UInt16 = 1 << 10, switchCurve: UInt16 = 3 << 10
        let negative: UInt16 = 1 << 8, bipolar: UInt16 = 1 << 9, cc: UInt16 = 0x80
        return [
            mod(2 | concave | negative, 0, .initialAttenuation, 960),            // velocity -> attenuation
            mod(2 | negative, 2 | switchCurve, .initialFilterFc, -2400),         // velocity -> filter cutoff
            mod(13, 0, .vibLfoToPitch, 50),                                      // channel pressure -> vibrato
            mod(cc | 1, 0, .vibLfoToPitch, 50),                                  // CC1 -> vibrato
            mod(cc | 7 | concave | negative, 0, .initialAttenuation, 960),       // CC7 -> attenuation
            mod(cc | 10 | bipolar, 0, .pan, 500),                                // CC10 -> pan
            mod(cc | 11 | concave | negative, 0, .initialAttenuation, 960),      // CC11 -> attenuation
            mod(cc | 91, 0, .reverbEffectsSend, 200),                            // CC91 -> reverb send
            mod(cc | 93, 0, .chorusEffectsSend, 200),                            // CC93 -> chorus send
            mod(14 | bipolar, 16, .fineTune, 12700),                             // pitch wheel x sensitivity -> pitch
        ]
    }()
}
