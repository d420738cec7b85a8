import Glibc

/// A libpipewire call that failed, in one line: the call, and why.
public struct PipeWireError: Error, CustomStringConvertible, Equatable, Sendable {
    public let call: String
    public let detail: String

    public init(call: String, detail: String) {
        self.call = call
        self.detail = detail
    }

    /// From an errno value (libpipewire's calls return -errno or set errno).
    public init(call: String, errno code: Int32, hint: String = "") {
        let reason = String(cString: strerror(code.magnitude > 0 ? Int32(code.magnitude) : EIO))
        self.init(call: call, detail: reason + hint)
    }

    public var description: String { "PipeWire: \(call): \(detail)" }
}
