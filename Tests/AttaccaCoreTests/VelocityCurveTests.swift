import Glibc
import Testing
@testable import AttaccaCore

/// The concave curve against the SF2 formula and the velocity → attenuation default modulator.
@Suite struct VelocityCurveTests {
    /// SF2 2.04 section 9.5.3: concave(x) = -20/96 log10(((127 - x)/127)^2), ends pinned to 0 and 1.
    func spec(_ x: Int) -> Double { x == 127 ? 1 : -20.0 / 96 * log10(pow(Double(127 - x) / 127, 2)) }

    @Test func concaveCurveMatchesSpec() {
        for x in 0...127 {
            #expect(abs(Double(CompiledModulator.concave(Float(x))) - spec(x)) < 1e-5, "x=\(x)")
        }
        // Convex is its mirror: 1 - concave(127 - x).
        for x in 1...126 {
            #expect(abs(Double(CompiledModulator.convex(Float(x))) - (1 - spec(127 - x))) < 1e-5)
        }
    }

    /// Source mapping of velocity (normalised by 128 as FluidSynth 2.3 does) through the
    /// negative concave curve, × 960 cB.
    func expectedAttenuation(_ velocity: Int) -> Double {
        let x = 127 * (1 - Double(velocity) / 128)
        let i = Int(x)
        return 960 * (spec(i) + (spec(i + 1) - spec(i)) * (x - Double(i)))
    }

    @Test func velocityToAttenuationInRenderedLevel() throws {
        func level(_ velocity: Int) throws -> Float {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440())
            synth.send(.noteOn(channel: 0, key: 69, velocity: velocity))
            let out = Measure.render(&synth, frames: 9600)
            return Measure.peak(out.left, 4800..<9600)
        }
        let loud = try level(127)
        for velocity in [100, 64, 30, 10] {
            let measured = 200 * log10(Double(loud / (try level(velocity))))  // cB
            let expected = expectedAttenuation(velocity) - expectedAttenuation(127)
            #expect(abs(measured - expected) < 0.2, "velocity \(velocity): \(measured) cB, expected \(expected)")
        }
    }
}
