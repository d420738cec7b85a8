import AttaccaALSA
import AttaccaLatency
import Foundation
import Testing

/// The player's collector thread and socket, with `attacca latency`'s side of the protocol.
@Suite struct LatencyServerTests {
    /// A fresh private directory under /tmp for one test's socket.
    static func withDirectory(_ body: (LatencySocket) throws -> Void) throws {
        let directory = "/tmp/attacca-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(LatencySocket(directory: directory))
    }

    static let setup = LatencySetup(device: "null", rate: 48000, periodSize: 32, periodCount: 2, mode: "constant")

    @Test func servesTheReportOfTheRecordsItCollectedAndResets() throws {
        try Self.withDirectory { socket in
            let records = LatencyRing(capacity: 64)
            let monitor = AudioMonitor()
            defer { records.deallocate(); monitor.deallocate() }
            let server = try LatencyServer(records: records, monitor: monitor, setup: Self.setup, socket: socket)
            server.start()
            defer { server.stop() }
            for key in 0..<10 {
                records.push(LatencyRecord(key: UInt8(key), periodFrames: 32, rate: 48000, arrivalNanoseconds: 1_000_000,
                                           renderNanoseconds: 1_500_000, statusNanoseconds: 1_600_000, delayFrames: 64))
            }
            let answer = try socket.request("report")
            let report = try JSONDecoder().decode(LatencyReport.self, from: Data(answer.utf8))
            #expect(report.notes == 10)
            #expect(report.setup == Self.setup)
            // 0.5 + 0.1 ms, then 32 frames (0.667 ms) ahead of the note.
            #expect(abs((report.total?.p50 ?? 0) - 1.2667) < 0.002)
            #expect(answer.contains("\"jitter\""))
            #expect(try socket.request("reset") == "ok")
            let after = try JSONDecoder().decode(LatencyReport.self, from: Data(try socket.request("report").utf8))
            #expect(after.notes == 0)
        }
    }

    @Test func theDirectoryAndTheSocketAreThisUsersAlone() throws {
        try Self.withDirectory { socket in
            let records = LatencyRing(capacity: 4)
            let monitor = AudioMonitor()
            defer { records.deallocate(); monitor.deallocate() }
            let server = try LatencyServer(records: records, monitor: monitor, setup: Self.setup, socket: socket)
            defer { server.stop() }
            var info = stat()
            #expect(stat(socket.directory, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o700)
            #expect(info.st_uid == getuid())
            #expect(stat(socket.path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
            // A second player of the same user does not take the socket over.
            #expect(throws: LatencySocketError.busy(path: socket.path)) {
                _ = try LatencyServer(records: records, monitor: monitor, setup: Self.setup, socket: socket)
            }
            // Opened up to others: the client refuses to talk through it.
            chmod(socket.directory, 0o755)
            #expect(throws: LatencySocketError.notPrivate(path: socket.directory, why: "mode 755, not 700")) {
                _ = try socket.request("report")
            }
            chmod(socket.directory, 0o700)
            if getuid() == 0 {
                // Owned by someone else (only root can arrange that here).
                chown(socket.directory, 65534, 65534)
                #expect(throws: LatencySocketError.notPrivate(path: socket.directory, why: "owned by user 65534")) {
                    _ = try socket.request("report")
                }
                chown(socket.directory, 0, 0)
            }
        }
    }

    @Test func withoutAPlayerTheClientSaysSoInOneLine() throws {
        try Self.withDirectory { socket in
            #expect(throws: LatencySocketError.noPlayer(path: socket.path)) { _ = try socket.request("report") }
            try socket.prepareDirectory()
            #expect(throws: LatencySocketError.noPlayer(path: socket.path)) { _ = try socket.request("report") }
            #expect(!LatencySocketError.noPlayer(path: socket.path).description.contains("\n"))
        }
    }

    @Test func aStaleSocketFileIsReplaced() throws {
        try Self.withDirectory { socket in
            try socket.prepareDirectory()
            #expect(FileManager.default.createFile(atPath: socket.path, contents: Data()))
            let records = LatencyRing(capacity: 4)
            let monitor = AudioMonitor()
            defer { records.deallocate(); monitor.deallocate() }
            let server = try LatencyServer(records: records, monitor: monitor, setup: Self.setup, socket: socket)
            server.start()
            defer { server.stop() }
            #expect(try socket.request("report").hasPrefix("{"))
            server.stop()
            #expect(!FileManager.default.fileExists(atPath: socket.path))
        }
    }
}
