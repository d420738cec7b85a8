import Glibc
import Testing
@testable import AttaccaCore

/// The constant-power pan law against FluidSynth's formula sin((p + 500) π / 2002).
@Suite struct PanLawTests {
    func formula(_ p: Int) -> Float { Float(sin(Double(p + 500) * Double.pi / 2 / 1001)) }

    @Test func valuesAtLeftCentreRight() {
        let centre = PanLaw.gains(pan: 0)
        #expect(abs(centre.left - formula(0)) < 1e-6 && abs(centre.right - formula(0)) < 1e-6)
        #expect(abs(centre.left - 0.70655) < 1e-4)
        let left = PanLaw.gains(pan: -500)
        #expect(left.left == 1 && left.right == 0)
        let right = PanLaw.gains(pan: 500)
        #expect(right.left == 0 && right.right == 1)
        for p in stride(from: -499, through: 499, by: 37) {
            let g = PanLaw.gains(pan: Float(p))
            #expect(abs(g.right - formula(p)) < 1e-6)
            #expect(abs(g.left - formula(-p)) < 1e-6)
            // Constant power within the table's half-step offset.
            #expect(abs(g.left * g.left + g.right * g.right - 1) < 0.003)
        }
    }

    /// Rendered channel ratios follow the pan generator and CC10.
    @Test func renderedPanFollowsGeneratorAndController() throws {
        func levels(_ generators: [(GeneratorType, Int16)], cc10: Int? = nil) throws -> (Float, Float) {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: generators))
            if let cc10 { synth.send(.controlChange(channel: 0, controller: 10, value: cc10)) }
            synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
            let out = Measure.render(&synth, frames: 9600)
            return (Measure.peak(out.left, 4800..<9600), Measure.peak(out.right, 4800..<9600))
        }
        let centre = try levels([])
        #expect(abs(centre.0 / centre.1 - 1) < 1e-4)
        let hardLeft = try levels([(.pan, -500)])
        #expect(hardLeft.1 == 0 && hardLeft.0 > 0)
        let partial = try levels([(.pan, 250)])
        #expect(abs(partial.1 / partial.0 - formula(250) / formula(-250)) < 1e-3)
        // CC10 = 0 adds -500 (bipolar, ×500): hard left.
        let ccLeft = try levels([], cc10: 0)
        #expect(ccLeft.1 == 0 && ccLeft.0 > 0)
        // CC10 = 96 maps to (2 × 96/128 - 1) × 500 = 250.
        let cc96 = try levels([], cc10: 96)
        #expect(abs(cc96.1 / cc96.0 - formula(250) / formula(-250)) < 1e-3)
    }
}
