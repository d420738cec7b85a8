import Glibc
import Testing
@testable import AttaccaCore

/// The pure-Swift math against libm, and the SF2 unit conversions against their definitions.
@Suite struct FastMathTests {
    @Test func exp2AndLog2() {
        var x = -60.0
        while x < 60 {
            #expect(abs(FastMath.exp2(x) / Glibc.exp2(x) - 1) < 1e-9, "exp2(\(x))")
            x += 0.0137
        }
        // Whole powers are exact (the exponent is built from the rounded integer), and the clamp
        // keeps the ends finite and positive instead of overflowing the exponent field.
        for k in -1000...1000 {
            #expect(FastMath.exp2(Double(k)) == Glibc.exp2(Double(k)), "exp2(\(k))")
        }
        #expect(FastMath.exp2(5000) == Glibc.exp2(1000))
        #expect(FastMath.exp2(-5000) == Glibc.exp2(-1000))
        #expect(abs(FastMath.exp2(999.75) / Glibc.exp2(999.75) - 1) < 1e-9)
        #expect(abs(FastMath.exp2(-999.75) / Glibc.exp2(-999.75) - 1) < 1e-9)
        for v in [1e-9, 0.001, 0.5, 0.7071, 1, 1.5, 2, 10, 12345.678] {
            #expect(abs(FastMath.log2(v) - Glibc.log2(v)) < 1e-9, "log2(\(v))")
        }
    }

    @Test func sineAndCosine() {
        var x = -20.0
        while x < 20 {
            #expect(abs(FastMath.sin(x) - Glibc.sin(x)) < 1e-9)
            #expect(abs(FastMath.cos(x) - Glibc.cos(x)) < 1e-9)
            x += 0.0123
        }
    }

    @Test func unitConversions() {
        #expect(abs(FastMath.centsToHertz(6900) - 440) < 1e-9)
        // 0.1 cent is a ratio of 5.8e-5: the conversion is far more accurate than that.
        for cents in stride(from: -12000.0, through: 13500, by: 7.3) {
            let exact = 8.175798915643707 * pow(2, cents / 1200)
            #expect(abs(FastMath.centsToHertz(cents) / exact - 1) < 1e-9)
        }
        for cb in stride(from: 0.5, through: 1440, by: 3.1) {
            #expect(abs(FastMath.centibelsToGain(cb) / pow(10, -cb / 200) - 1) < 1e-9)
            #expect(abs(FastMath.gainToCentibels(pow(10, -cb / 200)) - cb) < 1e-6)
        }
        #expect(FastMath.centibelsToGain(-10) == 1)
        #expect(FastMath.centibelsToGain(1441) == 0)
        for tc in stride(from: -12000.0, through: 8000, by: 11.0) {
            #expect(abs(FastMath.timecentsToSeconds(tc) / pow(2, tc / 1200) - 1) < 1e-9)
        }
    }
}
