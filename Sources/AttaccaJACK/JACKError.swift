import CJack

/// A libjack call that failed, said in one line: which call, and why (the `jack_status_t`
/// bits it returned, or the error code).
public struct JACKError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The libjack function that failed.
    public var call: String
    /// The `jack_status_t` bits from `jack_client_open`, or 0.
    public var status: UInt32
    /// A non-zero return code of other calls, or 0.
    public var code: Int32
    /// What the user can act on (the port name that does not exist, the server to start).
    public var detail: String

    public init(call: String, status: UInt32 = 0, code: Int32 = 0, detail: String = "") {
        self.call = call
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// `jack_client_open` could not reach a server: none runs under that name.
    public var isServerMissing: Bool {
        status & JackServerFailed.rawValue != 0 || status & JackServerError.rawValue != 0
    }

    public var description: String {
        var reason = detail
        if reason.isEmpty && status != 0 { reason = Self.reason(status: status) }
        if reason.isEmpty && code != 0 { reason = "error \(code)" }
        return reason.isEmpty ? "\(call) failed" : "\(call) failed: \(reason)"
    }

    /// The first bit of `status` that says something, in words.
    static func reason(status: UInt32) -> String {
        let reasons: [(JackStatus, String)] = [
            (JackServerFailed, "no JACK server is running (start one with jackd or qjackctl, or pick it with --jack-server)"),
            (JackServerError, "the JACK server refused the connection"),
            (JackVersionError, "the JACK server speaks another protocol version than this libjack"),
            (JackNameNotUnique, "the client name is taken"),
            (JackInvalidOption, "an invalid option"),
            (JackNoSuchClient, "no such client"),
            (JackLoadFailure, "the client could not be loaded"),
            (JackInitFailure, "the client could not be initialized"),
            (JackShmFailure, "JACK's shared memory could not be reached"),
        ]
        for (bit, text) in reasons where status & bit.rawValue != 0 { return text }
        return status & JackFailure.rawValue != 0 ? "the operation failed (status 0x\(String(status, radix: 16)))" : ""
    }
}
