import Glibc
import Testing
@testable import AttaccaCore

/// Modulator source curves, the amount/secondary-source product, the absolute-value transform,
/// and file modulators overriding or adding to the defaults (SF2 2.04 sections 8.2, 9.5).
@Suite struct ModulatorTests {
    func concave(_ x: Double) -> Double { x >= 127 ? 1 : -20.0 / 96 * log10(pow((127 - x) / 127, 2)) }
    func convex(_ x: Double) -> Double { x <= 0 ? 0 : 1 + 20.0 / 96 * log10(pow(x / 127, 2)) }

    @Test func sourceCurvesMatchTheirDefinitions() {
        for step in 0...127 {
            let v = Double(step) / 128  // FluidSynth normalises 7-bit sources by 128
            func map(_ curve: Int, negative: Bool, bipolar: Bool) -> Double {
                Double(CompiledModulator.map(Float(v), negative: negative, bipolar: bipolar, curve: curve))
            }
            #expect(abs(map(0, negative: false, bipolar: false) - v) < 1e-6)
            #expect(abs(map(0, negative: true, bipolar: false) - (1 - v)) < 1e-6)
            #expect(abs(map(0, negative: false, bipolar: true) - (2 * v - 1)) < 1e-6)
            #expect(abs(map(0, negative: true, bipolar: true) - (1 - 2 * v)) < 1e-6)
            // Concave/convex at integer table points (x = 127 v is an integer only for v = k/127;
            // compare where 127·v lands on a point, i.e. through the same interpolation).
            let x = 127 * v, i = Double(Int(x))
            let concaveWant = concave(i) + (concave(i + 1) - concave(i)) * (x - i)
            #expect(abs(map(1, negative: false, bipolar: false) - concaveWant) < 1e-5, "concave \(step)")
            let convexWant = convex(i) + (convex(i + 1) - convex(i)) * (x - i)
            #expect(abs(map(2, negative: false, bipolar: false) - convexWant) < 1e-5, "convex \(step)")
            #expect(map(3, negative: false, bipolar: false) == (v >= 0.5 ? 1 : 0))
            #expect(map(3, negative: true, bipolar: false) == (v >= 0.5 ? 0 : 1))
            #expect(map(3, negative: false, bipolar: true) == (v >= 0.5 ? 1 : -1))
        }
        // Bipolar concave is odd around the centre.
        let up = CompiledModulator.map(0.75, negative: false, bipolar: true, curve: 1)
        let down = CompiledModulator.map(0.25, negative: false, bipolar: true, curve: 1)
        #expect(abs(up + down) < 1e-6 && up > 0)
    }

    func context(controllers: UnsafePointer<UInt8>, pressure: UnsafePointer<UInt8>, velocity: Int = 100) -> ModulationContext {
        ModulationContext(controllers: controllers, keyPressure: pressure, pitchBend: 8192, channelPressure: 0,
                          pitchWheelSensitivity: 2, key: 60, velocity: velocity, noteKey: 60)
    }

    @Test func amountTimesSourcesAndAbsoluteValue() {
        var controllers = [UInt8](repeating: 0, count: 128)
        controllers[20] = 96
        let pressure = [UInt8](repeating: 0, count: 128)
        controllers.withUnsafeBufferPointer { c in
            pressure.withUnsafeBufferPointer { p in
                let ctx = context(controllers: c.baseAddress!, pressure: p.baseAddress!)
                // CC20 linear unipolar × velocity linear unipolar × 1000.
                let m = CompiledModulator(source: 0x80 | 20, amountSource: 2, destination: 48, amount: 1000, absoluteValue: false)
                #expect(abs(Double(m.value(ctx)) - 1000 * (96.0 / 128) * (100.0 / 128)) < 1e-3)
                // Secondary "no controller" counts as 1; primary "no controller" makes 0.
                let noSecondary = CompiledModulator(source: 0x80 | 20, amountSource: 0, destination: 48, amount: 1000, absoluteValue: false)
                #expect(abs(Double(noSecondary.value(ctx)) - 750) < 1e-3)
                let noPrimary = CompiledModulator(source: 0, amountSource: 2, destination: 48, amount: 1000, absoluteValue: false)
                #expect(noPrimary.value(ctx) == 0)
                // Bipolar source below centre with a negative amount, then the absolute value.
                let bipolar = CompiledModulator(source: 0x80 | 0x200 | 21, amountSource: 0, destination: 48, amount: -200, absoluteValue: false)
                let absolute = CompiledModulator(source: 0x80 | 0x200 | 21, amountSource: 0, destination: 48, amount: -200, absoluteValue: true)
                #expect(bipolar.value(ctx) == 200)  // CC21 = 0 maps to -1
                #expect(absolute.value(ctx) == 200)
                let bipolarUp = CompiledModulator(source: 0x80 | 0x200 | 20, amountSource: 0, destination: 48, amount: -200, absoluteValue: false)
                let absoluteUp = CompiledModulator(source: 0x80 | 0x200 | 20, amountSource: 0, destination: 48, amount: -200, absoluteValue: true)
                #expect(bipolarUp.value(ctx) == -100)  // 2 × 96/128 - 1 = 0.5
                #expect(absoluteUp.value(ctx) == 100)
            }
        }
    }

    /// Rendered level at CC20 = 127 relative to CC20 = 0 for a font with the given modulators.
    func levelDrop(instrument: [Modulator], preset: [Modulator] = [], velocities: (Int, Int) = (127, 127),
                   cc20: (Int, Int) = (0, 127)) throws -> Double {
        func level(_ velocity: Int, _ cc: Int) throws -> Float {
            let wave = TestSoundFont.cosine(period: 100, cycles: 20)
            let font = TestSoundFont.make(sample: wave, sampleRate: 44000, originalPitch: 69, loop: 0..<wave.count,
                                          instrumentModulators: instrument, presetModulators: preset)
            var synth = try Synthesizer(soundFont: font)
            synth.send(.controlChange(channel: 0, controller: 20, value: cc))
            synth.send(.noteOn(channel: 0, key: 69, velocity: velocity))
            return Measure.peak(Measure.render(&synth, frames: 9600).left, 4800..<9600)
        }
        let a = try level(velocities.0, cc20.0), b = try level(velocities.1, cc20.1)
        return 200 * log10(Double(a / b))  // centibels
    }

    @Test func fileModulatorAttenuatesByItsAmount() throws {
        let cc20ToAttenuation = Modulator(source: 0x80 | 20, destination: 48, amount: 200, amountSource: 0, transform: 0)
        let drop = try levelDrop(instrument: [cc20ToAttenuation])
        #expect(abs(drop - 200 * 127.0 / 128) < 0.3, "drop \(drop) cB")
    }

    @Test func presetModulatorsAddToIdenticalInstrumentModulators() throws {
        let instrument = Modulator(source: 0x80 | 20, destination: 48, amount: 200, amountSource: 0, transform: 0)
        let preset = Modulator(source: 0x80 | 20, destination: 48, amount: 100, amountSource: 0, transform: 0)
        let drop = try levelDrop(instrument: [instrument], preset: [preset])
        #expect(abs(drop - 300 * 127.0 / 128) < 0.3, "drop \(drop) cB")
    }

    @Test func instrumentModulatorReplacesIdenticalDefault() throws {
        // The default velocity → attenuation modulator with amount 0: velocity no longer matters.
        // Source: velocity (2), negative (bit 8), unipolar, concave (type 1 in bits 10-15).
        let velocityConcaveNegative = Modulator(source: 2 | (1 << 8) | (1 << 10), destination: 48, amount: 0, amountSource: 0, transform: 0)
        let same = try levelDrop(instrument: [velocityConcaveNegative], velocities: (127, 20), cc20: (0, 0))
        #expect(abs(same) < 0.05, "velocity 20 vs 127 differ by \(same) cB")
        let normal = try levelDrop(instrument: [], velocities: (127, 20), cc20: (0, 0))
        #expect(normal > 100)  // without the override velocity 20 is far quieter
    }
}
