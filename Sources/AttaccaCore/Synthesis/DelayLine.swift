/// A circular delay line over storage its owner allocated (an effect keeps all its lines in one
/// block, freed by the effect). Plain data: reading and writing never allocate.
struct DelayLine {
    let buffer: UnsafeMutablePointer<Float>
    let length: Int
    /// The slot written next; it holds the oldest value.
    var position = 0

    init(buffer: UnsafeMutablePointer<Float>, length: Int) {
        self.buffer = buffer
        self.length = length
    }

    /// Writes `x` and returns the value written `length` frames before it.
    @_noLocks
    @inline(__always)
    mutating func process(_ x: Float) -> Float {
        let delayed = buffer[position]
        buffer[position] = x
        position = position + 1 == length ? 0 : position + 1
        return delayed
    }

    /// A Schroeder all-pass with this line as its delay D: w = x − g·w[n−D], y = w[n−D] + g·w,
    /// H(z) = (g + z^−D) / (1 + g·z^−D). The line stores w (the node the plate's taps read).
    @_noLocks
    @inline(__always)
    mutating func allpass(_ x: Float, _ g: Float) -> Float {
        let delayed = buffer[position]
        let w = x - g * delayed
        buffer[position] = w
        position = position + 1 == length ? 0 : position + 1
        return delayed + g * w
    }

    /// The value written `age` frames before the last one (0: the last), `age` < `length`.
    @_noLocks
    @inline(__always)
    func tap(_ age: Int) -> Float {
        let index = position - 1 - age
        return buffer[index < 0 ? index + length : index]
    }

    /// The line's contents cleared, as at creation.
    @_noLocks
    mutating func clear() {
        buffer.update(repeating: 0, count: length)
        position = 0
    }
}
