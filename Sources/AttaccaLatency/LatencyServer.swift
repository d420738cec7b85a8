import AttaccaALSA
import Foundation
import Synchronization

/// The player's collector thread (an ordinary one): takes the audio thread's latency records
/// from the ring into a `LatencyCollector`, keeps a fresh report for the player's own readout,
/// and answers `attacca latency` on the `LatencySocket`.
public final class LatencyServer: @unchecked Sendable {
    public let setup: LatencySetup
    let records: LatencyRing
    let monitor: AudioMonitor
    let socket: LatencySocket?
    private var listener: Int32 = -1
    private let stopFlag = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)
    private let latest: Mutex<LatencyReport>
    private var collector = LatencyCollector()
    private var started = false

    /// With `socket` nil, nothing is served (the in-process readout still works).
    /// Throws when the socket cannot be made private or another player serves it.
    public init(records: LatencyRing, monitor: AudioMonitor, setup: LatencySetup, socket: LatencySocket?) throws(LatencySocketError) {
        self.records = records
        self.monitor = monitor
        self.setup = setup
        self.socket = socket
        latest = Mutex(LatencyCollector().report(setup: setup, unmeasured: 0, xruns: 0))
        if let socket { listener = try Self.listen(on: socket) }
    }

    deinit {
        stop()
    }

    /// Binds and listens; a stale socket file (nobody answers) is replaced.
    private static func listen(on socket: LatencySocket) throws(LatencySocketError) -> Int32 {
        try socket.prepareDirectory()
        if socket.isServed() { throw .busy(path: socket.path) }
        unlink(socket.path)
        let fd = try LatencySocket.makeSocket()
        let previous = umask(0o177)
        let bound = try socket.withAddress { bind(fd, $0, $1) }
        let bindError = errno
        umask(previous)
        if bound != 0 {
            close(fd)
            throw .system(call: "bind", code: bindError, path: socket.path)
        }
        chmod(socket.path, 0o600)
        if Glibc.listen(fd, 8) != 0 {
            let code = errno
            close(fd)
            unlink(socket.path)
            throw .system(call: "listen", code: code, path: socket.path)
        }
        return fd
    }

    /// Starts the thread.
    public func start() {
        guard !started else { return }
        started = true
        let thread = Thread { [self] in
            while !stopFlag.load(ordering: .acquiring) { step() }
            collect()
            stopped.signal()
        }
        thread.name = "attacca-latency"
        thread.start()
    }

    /// Stops the thread (after one last collection) and removes the socket.
    public func stop() {
        if started {
            stopFlag.store(true, ordering: .releasing)
            stopped.wait()
            started = false
        }
        if listener >= 0 {
            close(listener)
            listener = -1
            if let socket { unlink(socket.path) }
        }
    }

    /// The report as of the last collection (at most ~50 ms old while running).
    public var report: LatencyReport { latest.withLock { $0 } }

    /// One round: collect, then wait up to 50 ms for a client and answer it.
    private func step() {
        collect()
        guard listener >= 0 else {
            usleep(50_000)
            return
        }
        var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 50) > 0 else { return }
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        defer { close(client) }
        // Only this user: the directory already keeps others out; this holds even if it did not.
        guard LatencySocket.peerUID(client) == getuid() else { return }
        LatencySocket.setTimeout(client, milliseconds: 1000)
        switch LatencySocket.readLine(client, limit: 256) {
        case "report":
            collect()
            let data = (try? JSONEncoder().encode(report)) ?? Data()
            LatencySocket.writeAll(client, String(decoding: data, as: UTF8.self) + "\n")
        case "reset":
            collector.reset()
            reportedXruns = -1
            collect()
            LatencySocket.writeAll(client, "ok\n")
        case "":
            break  // a probe (another player looking whether this one is alive) or a client that gave up
        default:
            LatencySocket.writeAll(client, "error: unknown request\n")
        }
    }

    private var reportedXruns = -1

    /// Takes the new records; rebuilds the report only when something changed.
    private func collect() {
        let taken = records.drain { collector.add($0) }
        let xruns = monitor.xruns
        guard taken > 0 || xruns != reportedXruns || collector.count == 0 else { return }
        reportedXruns = xruns
        var fresh = collector.report(setup: setup, unmeasured: records.dropped, xruns: monitor.xruns)
        let lead = monitor.renderLeadNanoseconds
        let periodNanoseconds = Double(setup.periodSize) * 1e9 / Double(max(setup.rate, 1))
        fresh.renderLeadMilliseconds = lead > 0 && Double(lead) < periodNanoseconds ? Double(lead) / 1e6 : nil
        latest.withLock { $0 = fresh }
    }
}
