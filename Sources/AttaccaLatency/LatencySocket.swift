import Glibc

/// Where a player and `attacca latency` meet: a Unix stream socket, `player.sock`, in a
/// directory only this user can enter (`$XDG_RUNTIME_DIR/attacca`, else `/tmp/attacca-$UID`,
/// mode 0700, owner checked; the socket itself 0600), and the peer's uid is checked on both
/// ends (SO_PEERCRED): another user can neither read nor reset someone's player.
///
/// The protocol: the client sends one line, `report` or `reset`; the player answers one line
/// (the report as JSON, or `ok`) and closes.
public struct LatencySocket: Sendable, Equatable {
    public let directory: String
    public var path: String { directory + "/player.sock" }

    public init(directory: String) {
        self.directory = directory
    }

    /// The standard place for this user.
    public static func standard() -> LatencySocket {
        if let runtime = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), !runtime.isEmpty {
            var info = stat()
            if stat(runtime, &info) == 0 && info.st_uid == getuid() { return LatencySocket(directory: runtime + "/attacca") }
        }
        return LatencySocket(directory: "/tmp/attacca-\(getuid())")
    }

    /// Creates the directory (0700) when missing, then checks it.
    public func prepareDirectory() throws(LatencySocketError) {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .system(call: "mkdir", code: errno, path: directory)
        }
        try checkDirectory()
    }

    /// The directory is a real directory (not a link), owned by this user, closed to others.
    public func checkDirectory() throws(LatencySocketError) {
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            if errno == ENOENT { throw .noPlayer(path: path) }
            throw .system(call: "lstat", code: errno, path: directory)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notPrivate(path: directory, why: "not a directory") }
        guard info.st_uid == getuid() else { throw .notPrivate(path: directory, why: "owned by user \(info.st_uid)") }
        guard info.st_mode & 0o077 == 0 else {
            throw .notPrivate(path: directory, why: "mode \(String(info.st_mode & 0o777, radix: 8)), not 700")
        }
    }

    // MARK: Plumbing shared by the server and the client

    static func makeSocket() throws(LatencySocketError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .system(call: "socket", code: errno, path: "") }
        return fd
    }

    /// Calls `body` with `path` as a `sockaddr_un`.
    func withAddress<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) throws(LatencySocketError) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw .system(call: "bind", code: ENAMETOOLONG, path: path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// The uid of the process at the other end of `fd`.
    static func peerUID(_ fd: Int32) -> UInt32? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } (hidden behind _GNU_SOURCE in Glibc's overlay)
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return credentials.uid
    }

    /// Gives up on a read or write after `milliseconds`.
    static func setTimeout(_ fd: Int32, milliseconds: Int) {
        var time = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, size)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, size)
    }

    /// Reads up to a newline or the end, at most `limit` bytes.
    static func readLine(_ fd: Int32, limit: Int) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[0..<count]
            if chunk[0..<count].contains(10) { break }
        }
        if let newline = bytes.firstIndex(of: 10) { bytes.removeSubrange(newline...) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            // send, not write: a peer that went away must not raise SIGPIPE, which would end the player.
            let count = bytes.withUnsafeMutableBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            offset += count
        }
    }

    // MARK: Client

    /// Sends `command` to this user's player and returns its one-line answer.
    public func request(_ command: String) throws(LatencySocketError) -> String {
        try checkDirectory()
        let fd = try Self.makeSocket()
        defer { close(fd) }
        let code = try withAddress { connect(fd, $0, $1) }
        if code != 0 {
            if errno == ENOENT || errno == ECONNREFUSED { throw .noPlayer(path: path) }
            throw .system(call: "connect", code: errno, path: path)
        }
        if let uid = Self.peerUID(fd), uid != getuid() { throw .foreignPeer(path: path, uid: uid) }
        Self.setTimeout(fd, milliseconds: 2000)
        Self.writeAll(fd, command + "\n")
        return Self.readLine(fd, limit: 1 << 20)
    }

    /// Whether a player answers on the socket now.
    func isServed() -> Bool {
        guard let fd = try? Self.makeSocket() else { return false }
        defer { close(fd) }
        return (try? withAddress { connect(fd, $0, $1) }) == 0
    }
}
