import AttaccaCore

/// Silences an engine while no callback plays it (its sound server went away, or the player
/// stops): sustain off, all sound off and all notes off on every channel, then one block rendered
/// into scratch buffers of its own, so that no voice is left. The JACK and PipeWire sessions
/// each keep one.
public struct EngineSilencer: ~Copyable {
    let frames = 1024
    let left: UnsafeMutablePointer<Float>
    let right: UnsafeMutablePointer<Float>

    public init() {
        left = .allocate(capacity: frames)
        right = .allocate(capacity: frames)
    }

    deinit {
        left.deallocate()
        right.deallocate()
    }

    /// What silences `engine` (which must outlive its use, and this silencer too) and returns
    /// the voices still sounding after.
    public func silence<E: SoundEngine & ~Copyable>(_ engine: UnsafeMutablePointer<E>) -> () -> Int {
        let (left, right, frames) = (self.left, self.right, self.frames)
        return {
            for channel in 0..<16 {
                engine.pointee.send(.controlChange(channel: channel, controller: 64, value: 0))
                engine.pointee.send(.controlChange(channel: channel, controller: 123, value: 0))
                engine.pointee.send(.controlChange(channel: channel, controller: 120, value: 0))
            }
            engine.pointee.render(left: left, right: right, frameCount: frames)
            return engine.pointee.activeVoiceCount
        }
    }
}
