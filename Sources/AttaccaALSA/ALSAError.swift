import CALSA

/// A failed alsa-lib call: the negative code it returned, the call, and what it was doing,
/// shown as one line (`snd_pcm_open 'hw:9,0': No such file or directory`).
public struct ALSAError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The negative errno alsa-lib returned.
    public var code: Int32
    /// The alsa-lib function that failed.
    public var call: String
    /// What was being attempted, in the user's terms; replaces the `snd_strerror` text when the
    /// code alone would say too little (a refused period size names what the device accepts).
    public var detail: String?

    public init(code: Int32, call: String, detail: String? = nil) {
        self.code = code
        self.call = call
        self.detail = detail
    }

    /// alsa-lib's text for the code.
    public var reason: String { String(cString: snd_strerror(code)) }

    public var description: String {
        if let detail { return "\(detail) (\(call): \(reason))" }
        return "\(call): \(reason)"
    }

    /// Returns `result` when it is not negative, else throws it as an `ALSAError`.
    @discardableResult
    public static func check<T: BinaryInteger>(_ result: T, _ call: String, _ detail: @autoclosure () -> String? = nil) throws(ALSAError) -> T {
        if result < 0 { throw ALSAError(code: Int32(truncatingIfNeeded: result), call: call, detail: detail()) }
        return result
    }
}
