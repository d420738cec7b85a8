/// The fundamental of a stretch of a periodic sound, by normalized autocorrelation: the
/// shortest lag (between `rate / maximum` and `rate / minimum`) whose correlation is within
/// 10 % of the best, refined by a parabola through its neighbours. Good for a piano note,
/// whose fundamental's lag correlates as well as its multiples.
enum PitchEstimate {
    static func frequency(_ samples: ArraySlice<Float>, rate: Int, minimum: Double = 50, maximum: Double = 2000) -> Double? {
        let x = Array(samples)
        let shortest = Int(Double(rate) / maximum), longest = Int(Double(rate) / minimum)
        guard x.count > 2 * longest else { return nil }
        let window = x.count - longest - 1
        func correlation(_ lag: Int) -> Double {
            var sum = 0.0, a = 0.0, b = 0.0
            for i in 0..<window {
                sum += Double(x[i]) * Double(x[i + lag])
                a += Double(x[i]) * Double(x[i])
                b += Double(x[i + lag]) * Double(x[i + lag])
            }
            return a > 0 && b > 0 ? sum / (a * b).squareRoot() : 0
        }
        let values = (shortest...longest + 1).map(correlation)
        guard let best = values.max(), best > 0.5 else { return nil }
        for index in 1..<(values.count - 1) where values[index] >= 0.9 * best
            && values[index] >= values[index - 1] && values[index] >= values[index + 1] {
            let (left, centre, right) = (values[index - 1], values[index], values[index + 1])
            let denominator = left - 2 * centre + right
            let shift = denominator != 0 ? 0.5 * (left - right) / denominator : 0
            return Double(rate) / (Double(shortest + index) + shift)
        }
        return nil
    }
}
