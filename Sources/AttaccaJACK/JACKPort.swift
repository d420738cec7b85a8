import AttaccaCore
import CJack

/// One port of Attacca's JACK client: a handle (libjack owns the port; it lives as long as its
/// client). The buffer and MIDI readers are for the process callback and do not allocate.
public struct JACKPort: @unchecked Sendable {
    public let handle: OpaquePointer

    public init(_ handle: OpaquePointer) { self.handle = handle }

    /// `client:port`, as `jack_connect` takes it.
    public var name: String { String(cString: jack_port_name(handle)) }

    /// This cycle's samples of an audio port (`frames` long).
    @inline(__always) @_noLocks
    public func audioBuffer(frames: UInt32) -> UnsafeMutablePointer<Float>? {
        _unsafePerformance { jack_port_get_buffer(handle, frames)?.assumingMemoryBound(to: Float.self) }
    }

    /// This cycle's buffer of a MIDI port.
    @inline(__always) @_noLocks
    public func midiBuffer(frames: UInt32) -> UnsafeMutableRawPointer? {
        _unsafePerformance { jack_port_get_buffer(handle, frames) }
    }

    /// The frames between this cycle's buffer and the ear (`JackPlaybackLatency`, the larger
    /// end of the range: the path to the loudest of the connected playback ports). 0 while the
    /// port is connected to nothing.
    public var playbackLatencyFrames: UInt32 {
        @inline(__always) @_noLocks get {
            _unsafePerformance {
                var range = jack_latency_range_t()
                jack_port_get_latency_range(handle, JackPlaybackLatency, &range)
                return range.max
            }
        }
    }
}
