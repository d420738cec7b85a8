import Glibc

/// A fresh empty folder under /tmp, removed (with its files) by `remove()`.
struct TemporaryFolder {
    let path: String
    init() {
        var template = Array("/tmp/attacca-audiofile-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }
    var entries: [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
    func remove() {
        for name in entries { unlink("\(path)/\(name)") }
        rmdir(path)
    }
}
