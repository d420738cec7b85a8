#if canImport(Glibc)
import Glibc
#endif

/// A file under /tmp holding given bytes, removed when the value is released.
final class TemporaryFile {
    let path: String

    init(_ bytes: [UInt8], suffix: String = ".sf2") {
        var template = Array("/tmp/attacca-test-XXXXXX\(suffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        precondition(fd >= 0, "mkstemps failed")
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var written = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                precondition(n > 0, "write failed")
                written += n
            }
        }
        close(fd)
    }

    deinit { unlink(path) }
}
