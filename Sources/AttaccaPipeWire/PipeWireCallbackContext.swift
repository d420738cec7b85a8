import AttaccaALSA
import CPipeWire
import Synchronization

/// What libpipewire's C callbacks get as their `data`: the process body (a closure made once, for
/// the engine's type), whether it may run, and what the callbacks tell the session (the graph's
/// rate and quantum, the filter's state). Lives at a fixed address for the session's whole life.
///
/// `process` is set before `started` is raised (releasing) and read only after it is seen
/// raised (acquiring); `stop` lowers `started` and waits while `busy`, so the engine is never
/// touched once it returns.
struct PipeWireCallbackContext: ~Copyable {
    var process: ((UnsafeMutablePointer<spa_io_position>) -> Void)?
    /// The ports, to write silence and give the MIDI input's buffers back while no engine plays
    /// (a buffer not given back is lost to its link: a source linked while the SoundFont loads
    /// ran out of buffers, and its MIDI never came).
    var left: UnsafeMutableRawPointer?
    var right: UnsafeMutableRawPointer?
    var midi: UnsafeMutableRawPointer?
    let started = Atomic<Bool>(false)
    let busy = Atomic<Bool>(false)
    /// The graph's rate and quantum, as the latest cycle gave them (0 before the first).
    let rate = Atomic<Int>(0)
    let quantum = Atomic<Int>(0)
    /// Raised when the filter errs, or loses its daemon after being connected.
    let lost = Atomic<Bool>(false)
    let connected = Atomic<Bool>(false)
    /// The state's error text is read on the loop's thread, kept for the session.
    var errorLine: String?

    static let processCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<spa_io_position>?) -> Void = { data, position in
        guard let data, let position else { return }
        let context = data.assumingMemoryBound(to: PipeWireCallbackContext.self)
        context.pointee.busy.store(true, ordering: .sequentiallyConsistent)
        context.pointee.rate.store(Int(position.pointee.clock.rate.denom), ordering: .relaxed)
        context.pointee.quantum.store(Int(position.pointee.clock.duration), ordering: .relaxed)
        if context.pointee.started.load(ordering: .sequentiallyConsistent), let process = context.pointee.process {
            process(position)
        } else {
            let frames = UInt32(truncatingIfNeeded: position.pointee.clock.duration)
            silence(context.pointee.left, frames: frames)
            silence(context.pointee.right, frames: frames)
            if let midi = context.pointee.midi, let buffer = pw_filter_dequeue_buffer(midi) {
                pw_filter_queue_buffer(midi, buffer)
            }
        }
        context.pointee.busy.store(false, ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func silence(_ port: UnsafeMutableRawPointer?, frames: UInt32) {
        guard let port, let buffer = pw_filter_get_dsp_buffer(port, frames) else { return }
        buffer.initializeMemory(as: Float.self, repeating: 0, count: Int(frames))
    }

    static let stateCallback: @convention(c) (UnsafeMutableRawPointer?, pw_filter_state, pw_filter_state, UnsafePointer<CChar>?) -> Void = { data, _, state, error in
        guard let data else { return }
        let context = data.assumingMemoryBound(to: PipeWireCallbackContext.self)
        switch state {
        case PW_FILTER_STATE_ERROR:
            context.pointee.errorLine = error.map { String(cString: $0) } ?? "error"
            context.pointee.lost.store(true, ordering: .releasing)
        case PW_FILTER_STATE_UNCONNECTED:
            if context.pointee.connected.load(ordering: .acquiring) {
                context.pointee.errorLine = error.map { String(cString: $0) } ?? "disconnected"
                context.pointee.lost.store(true, ordering: .releasing)
            }
        case PW_FILTER_STATE_PAUSED, PW_FILTER_STATE_STREAMING:
            context.pointee.connected.store(true, ordering: .releasing)
        default:
            break
        }
    }
}
