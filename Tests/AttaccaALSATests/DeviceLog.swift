import Synchronization

/// What happened to the `UnpluggablePCM`s of one test, counted across threads: the audio
/// thread writes, the test thread opens and reads.
final class DeviceLog: Sendable {
    let openAttempts = Atomic(0)
    let opened = Atomic(0)
    let closed = Atomic(0)
    let writes = Atomic(0)

    func count(_ counter: borrowing Atomic<Int>) -> Int { counter.load(ordering: .acquiring) }
    @discardableResult
    func add(_ counter: borrowing Atomic<Int>) -> Int { counter.add(1, ordering: .acquiringAndReleasing).newValue }
}
