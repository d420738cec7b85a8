#if canImport(Glibc)
import Glibc
#endif

/// An in-place iterative radix-2 complex FFT (decimation in time) of a fixed power-of-two size,
/// in `Double`. Twiddle factors and the bit-reversal permutation are computed once in `init`.
///
/// Forward transform convention: X[k] = Σₙ x[n]·e^(−2πi·kn/N), no scaling.
public struct FFT: Sendable {
    public let size: Int
    private let log2Size: Int
    /// cos and sin of −2πk/N for k in 0..<N/2.
    private let cosines: [Double]
    private let sines: [Double]
    private let bitReversed: [Int]

    /// `size` must be a power of two, at least 1.
    public init(size: Int) {
        precondition(size > 0 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        log2Size = size.trailingZeroBitCount
        let half = max(size / 2, 1)
        var cosines = [Double](repeating: 0, count: half), sines = cosines
        for k in 0..<half {
            let angle = -2 * Double.pi * Double(k) / Double(size)
            cosines[k] = cos(angle)
            sines[k] = sin(angle)
        }
        self.cosines = cosines
        self.sines = sines
        var bitReversed = [Int](repeating: 0, count: size)
        for index in 0..<size {
            var reversed = 0, value = index
            for _ in 0..<log2Size {
                reversed = reversed << 1 | value & 1
                value >>= 1
            }
            bitReversed[index] = reversed
        }
        self.bitReversed = bitReversed
    }

    /// Transforms `real` and `imaginary` (each `size` long) in place.
    public func transform(real: inout [Double], imaginary: inout [Double]) {
        precondition(real.count == size && imaginary.count == size, "FFT input length must equal its size")
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                cosines.withUnsafeBufferPointer { cosines in
                    sines.withUnsafeBufferPointer { sines in
                        transform(re, im, cosines, sines)
                    }
                }
            }
        }
    }

    private func transform(_ re: UnsafeMutableBufferPointer<Double>, _ im: UnsafeMutableBufferPointer<Double>,
                           _ cosines: UnsafeBufferPointer<Double>, _ sines: UnsafeBufferPointer<Double>) {
        for index in 0..<size {
            let other = bitReversed[index]
            if other > index {
                re.swapAt(index, other)
                im.swapAt(index, other)
            }
        }
        var length = 2
        while length <= size {
            let halfLength = length / 2
            let stride = size / length
            var start = 0
            while start < size {
                for j in 0..<halfLength {
                    let wr = cosines[j * stride], wi = sines[j * stride]
                    let a = start + j, b = a + halfLength
                    let tr = re[b] * wr - im[b] * wi
                    let ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                }
                start += length
            }
            length *= 2
        }
    }

    /// |X[k]|² for k in 0...size/2 of a real input of `size` points.
    public func powerSpectrum(of input: [Double]) -> [Double] {
        var real = input
        var imaginary = [Double](repeating: 0, count: size)
        transform(real: &real, imaginary: &imaginary)
        return (0...size / 2).map { real[$0] * real[$0] + imaginary[$0] * imaginary[$0] }
    }
}
