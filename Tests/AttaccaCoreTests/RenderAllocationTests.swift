import CAllocationCounter
import Testing
@testable import AttaccaCore

/// The render path must not allocate: a busy passage of notes, controllers, pitch bends and
/// program changes rendered through `render(...events:)` makes zero malloc calls, with the
/// reverb and chorus on (CC91/CC93 among the controllers and a font send: the send buses and
/// both effects run) and off.
@Suite struct RenderAllocationTests {
    @Test(arguments: [true, false], SynthesizerSettings.Interpolation.allCases)
    func busyPassageAllocatesNothing(effects: Bool, interpolation: SynthesizerSettings.Interpolation) throws {
        let settings = SynthesizerSettings(polyphony: 32, interpolation: interpolation)
        var synth = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: [(.releaseVolEnv, -2400),
                                                                                        (.reverbEffectsSend, 200)]),
                                    settings: effects ? settings : settings.withoutEffects)
        let block = 256
        // Build all events and buffers first: only the rendering is counted.
        var blocks: [[TimedMidiMessage]] = []
        // Sysex (as pieces): a real-time single-note tuning, a bulk tuning dump, master volume,
        // a GS rhythm part, an XG System On; and NRPNs (SF2 and GS).
        var bulk: [UInt8] = [0xF0, 0x7E, 0x7F, 0x08, 0x01, 0x03] + Array(repeating: 0x20, count: 16)
        for key in 0..<128 { bulk += [UInt8(key), 0x10, 0x00] }
        let sysexes: [[MidiMessage]] = [
            MidiMessage.sysex([0xF0, 0x7F, 0x7F, 0x08, 0x02, 0x00, 0x01, 60, 60, 0x20, 0x00, 0xF7]),
            MidiMessage.sysex(bulk + [0x00, 0xF7]),
            MidiMessage.sysex([0xF0, 0x7F, 0x7F, 0x04, 0x01, 0x00, 0x60, 0xF7]),
            MidiMessage.sysex([0xF0, 0x41, 0x10, 0x42, 0x12, 0x40, 0x12, 0x15, 0x01, 0x18, 0xF7]),
            MidiMessage.sysex([0xF0, 0x7E, 0x7F, 0x08, 0x08, 0x03, 0x7F, 0x7F] + Array(repeating: 70, count: 12) + [0xF7]),
            [.controlChange(channel: 2, controller: 99, value: 120), .controlChange(channel: 2, controller: 98, value: 52),
             .controlChange(channel: 2, controller: 6, value: 70)],
            [.controlChange(channel: 3, controller: 99, value: 1), .controlChange(channel: 3, controller: 98, value: 0x20),
             .controlChange(channel: 3, controller: 6, value: 30)],
            [.controlChange(channel: 4, controller: 101, value: 0), .controlChange(channel: 4, controller: 100, value: 3),
             .controlChange(channel: 4, controller: 6, value: 3)],
        ]
        var seed: UInt32 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 1664525 &+ 1013904223
            return Int(seed >> 8) % n
        }
        for _ in 0..<200 {
            var events: [TimedMidiMessage] = []
            for _ in 0..<6 {
                let channel = next(16), frame = Int32(next(block))
                let message: MidiMessage
                switch next(10) {
                case 0...3: message = .noteOn(channel: channel, key: 30 + next(70), velocity: 1 + next(127))
                case 4, 5: message = .noteOff(channel: channel, key: 30 + next(70))
                case 6: message = .controlChange(channel: channel, controller: [1, 7, 10, 11, 64, 66, 91, 93, 121, 123][next(10)], value: next(128))
                case 7: message = .pitchBend(channel: channel, value: next(16384))
                case 8: message = .programChange(channel: channel, program: next(128))
                default: message = .channelPressure(channel: channel, value: next(128))
                }
                events.append(TimedMidiMessage(frame: frame, message: message))
            }
            events.append(TimedMidiMessage(frame: 10, message: .controlChange(channel: 0, controller: 101, value: 0)))
            events.append(TimedMidiMessage(frame: 10, message: .controlChange(channel: 0, controller: 100, value: 0)))
            events.append(TimedMidiMessage(frame: 11, message: .controlChange(channel: 0, controller: 6, value: next(24))))
            events.append(TimedMidiMessage(frame: 12, message: .polyphonicPressure(channel: 0, key: 60, value: next(128))))
            // Portamento, mono/poly and legato pedal on channel 1.
            let modes = [5, 37, 65, 84, 126, 127, 68]
            events.append(TimedMidiMessage(frame: 13, message: .controlChange(channel: 1, controller: modes[next(modes.count)], value: next(128))))
            for message in sysexes[blocks.count % sysexes.count] { events.append(TimedMidiMessage(frame: 14, message: message)) }
            events.sort { $0.frame < $1.frame }
            blocks.append(events)
        }
        blocks[100].append(TimedMidiMessage(frame: Int32(block - 1), message: .systemReset))
        let left = UnsafeMutablePointer<Float>.allocate(capacity: block)
        let right = UnsafeMutablePointer<Float>.allocate(capacity: block)
        defer { left.deallocate(); right.deallocate() }
        let eventBuffers = blocks.map { events -> UnsafeMutableBufferPointer<TimedMidiMessage> in
            let buffer = UnsafeMutableBufferPointer<TimedMidiMessage>.allocate(capacity: events.count)
            _ = buffer.initialize(from: events)
            return buffer
        }
        defer { eventBuffers.forEach { $0.deallocate() } }
        var maxVoices = 0

        // Counted around each render call (the test's own loop bookkeeping is not the render path).
        var allocations: Int64 = 0
        for buffer in eventBuffers {
            attacca_allocation_counter_start()
            synth.render(left: left, right: right, frameCount: block, events: UnsafeBufferPointer(buffer))
            let n = attacca_allocation_counter_stop()
            allocations += n
            maxVoices = max(maxVoices, synth.activeVoiceCount)
        }

        #expect(allocations == 0)
        #expect(maxVoices > 8)  // the passage really was busy
        let sounding = synth.isEffectTailSounding
        if effects { #expect(sounding) }  // the effects really ran
    }
}
