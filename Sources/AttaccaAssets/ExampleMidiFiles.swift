import AttaccaCore

/// The example songs in `Examples/`, generated (not recorded) so they are reproducible and
/// exercise specific parts of the engines. The same call always returns the same bytes.
public enum ExampleMidiFiles {
    /// Ticks per quarter note in every example.
    static let resolution = 480
    static let bar = 4 * resolution

    /// File names (with `.mid`) and contents.
    public static func all() -> [(name: String, bytes: [UInt8])] {
        [
            ("scale.mid", scale()),
            ("chords-sustain.mid", chordsSustain()),
            ("drums.mid", drums()),
            ("dense.mid", dense()),
            ("a440.mid", a440()),
        ]
    }

    /// C major scale up and down on piano, channel 0, 120 BPM, 4.5 s (format 0).
    public static func scale() -> [UInt8] {
        var track = MidiFileWriter.Track(name: "C major scale")
        track.addTempo(beatsPerMinute: 120, at: 0)
        track.add(.programChange(channel: 0, program: 0), at: 0)
        let keys = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60]
        let eighth = resolution / 2
        for (index, key) in keys.enumerated() {
            let isLast = index == keys.count - 1
            let velocity = 70 + 3 * min(index, keys.count - 1 - index)
            track.addNote(channel: 0, key: key, velocity: velocity, at: index * eighth, length: isLast ? 2 * resolution : eighth - 20)
        }
        return MidiFileWriter(format: 0, resolution: resolution).bytes(tracks: [track])
    }

    /// Four bars at 96 BPM (10 s, format 1): piano chords on channel 0 held with the sustain
    /// pedal (CC64), two bars whose bass notes are held by the sostenuto pedal (CC66) under
    /// detached chords, a string pad (program 48) on channel 1 and a bass line (program 32) on
    /// channel 2.
    public static func chordsSustain() -> [UInt8] {
        var conductor = MidiFileWriter.Track(name: "Chords with pedals")
        conductor.addTempo(beatsPerMinute: 96, at: 0)

        var piano = MidiFileWriter.Track(name: "Piano")
        piano.add(.programChange(channel: 0, program: 0), at: 0)
        func pedal(_ controller: Int, down: Bool, at tick: Int) {
            piano.add(.controlChange(channel: 0, controller: controller, value: down ? 127 : 0), at: tick)
        }
        // Bars 1-2: C and Am struck on beats 1 and 3, keys released after an eighth, the sustain
        // pedal changed just after each strike (legato pedalling).
        for (barIndex, chord) in [[48, 60, 64, 67, 72], [45, 57, 60, 64, 69]].enumerated() {
            for beat in [0, 2] {
                let tick = barIndex * bar + beat * resolution
                pedal(64, down: false, at: tick)
                for key in chord { piano.addNote(channel: 0, key: key, velocity: beat == 0 ? 90 : 70, at: tick, length: resolution / 2) }
                pedal(64, down: true, at: tick + resolution / 8)
            }
        }
        // Bars 3-4 (F, then G): sustain pedal up; the bass octave is caught by the sostenuto
        // pedal and rings under detached quarter-note chords.
        pedal(64, down: false, at: 2 * bar)
        for (barIndex, bass, upper, beats) in [(2, [41, 53], [57, 60, 65], 4), (3, [43, 55], [59, 62, 67], 2)] {
            let start = barIndex * bar
            pedal(66, down: false, at: start)
            for key in bass { piano.addNote(channel: 0, key: key, velocity: 85, at: start, length: resolution / 2) }
            pedal(66, down: true, at: start + resolution / 8)
            for beat in 0..<beats {
                for key in upper { piano.addNote(channel: 0, key: key, velocity: 75, at: start + beat * resolution, length: resolution * 2 / 5) }
            }
        }
        // Last half bar: the final C chord, sostenuto released and held by the sustain pedal.
        let finalTick = 3 * bar + 2 * resolution
        let end = 4 * bar
        pedal(66, down: false, at: finalTick)
        for key in [36, 48, 60, 64, 67, 72] { piano.addNote(channel: 0, key: key, velocity: 95, at: finalTick, length: resolution / 2) }
        pedal(64, down: true, at: finalTick + resolution / 8)
        pedal(64, down: false, at: end)

        var strings = MidiFileWriter.Track(name: "Strings")
        strings.add(.programChange(channel: 1, program: 48), at: 0)
        strings.add(.controlChange(channel: 1, controller: 11, value: 90), at: 0)
        let pad = [[55, 60, 64], [57, 60, 64], [57, 60, 65], [55, 59, 62]]
        for (barIndex, chord) in pad.enumerated() {
            let length = barIndex == 3 ? 2 * resolution : bar
            for key in chord { strings.addNote(channel: 1, key: key, velocity: 64, at: barIndex * bar, length: length) }
        }
        for key in [55, 60, 64] { strings.addNote(channel: 1, key: key, velocity: 64, at: finalTick, length: end - finalTick) }

        var bassLine = MidiFileWriter.Track(name: "Bass")
        bassLine.add(.programChange(channel: 2, program: 32), at: 0)
        for (barIndex, root) in [36, 33, 29, 31].enumerated() {
            let beats = barIndex == 3 ? 2 : 4
            for beat in 0..<beats {
                let key = beat == 2 ? root + 12 : root
                bassLine.addNote(channel: 2, key: key, velocity: beat == 0 ? 100 : 80, at: barIndex * bar + beat * resolution, length: resolution * 4 / 5)
            }
        }
        bassLine.addNote(channel: 2, key: 36, velocity: 100, at: finalTick, length: end - finalTick)

        return MidiFileWriter(format: 1, resolution: resolution).bytes(tracks: [conductor, piano, strings, bassLine])
    }

    /// A drum pattern on channel 10 (index 9): two bars at 120 BPM, a tempo change to 140 BPM
    /// with a crash, two more bars ending in a snare fill, and a final crash; 8.3 s, format 1.
    public static func drums() -> [UInt8] {
        var conductor = MidiFileWriter.Track(name: "Drums")
        conductor.addTempo(beatsPerMinute: 120, at: 0)
        conductor.addTempo(beatsPerMinute: 140, at: 2 * bar)

        var kit = MidiFileWriter.Track(name: "Drum kit")
        kit.add(.programChange(channel: 9, program: 0), at: 0)
        let sixteenth = resolution / 4
        func hit(_ key: Int, _ velocity: Int, at tick: Int, length: Int = sixteenth / 2) {
            kit.addNote(channel: 9, key: key, velocity: velocity, at: tick, length: length)
        }
        for barIndex in 0..<4 {
            for step in 0..<16 {
                let tick = barIndex * bar + step * sixteenth
                if step == 0 && barIndex % 2 == 0 { hit(49, 110, at: tick, length: 2 * resolution) }
                if [0, 8, 10].contains(step) { hit(36, 110, at: tick) }
                if [4, 12].contains(step) { hit(38, 100, at: tick) }
                if barIndex == 3 && step >= 13 { hit(38, 55 + 15 * (step - 13), at: tick) }
                if step == 14 {
                    hit(46, 80, at: tick, length: resolution / 2 - 10)
                } else if step % 2 == 0 {
                    hit(42, step % 4 == 0 ? 80 : 65, at: tick)
                }
            }
        }
        hit(49, 115, at: 4 * bar, length: 2 * resolution)
        hit(36, 115, at: 4 * bar)
        kit.endTick = 4 * bar + 2 * resolution
        return MidiFileWriter(format: 1, resolution: resolution).bytes(tracks: [conductor, kit])
    }

    /// Keys each channel of `dense()` holds at its peak.
    static let denseKeysPerChannel = 21

    /// A stress passage, 10 s at 120 BPM (format 1, one track per channel): 16 channels each
    /// add 21 notes until all 336 sound at once (from 5.3 s to 6.5 s), then release them one by
    /// one, under pitch bend, modulation (CC1), pan (CC10), expression (CC11) and channel
    /// pressure sweeps.
    public static func dense() -> [UInt8] {
        let programs = [0, 16, 19, 32, 33, 48, 88, 1, 49, 0, 24, 52, 56, 73, 89, 11]
        let end = 20 * resolution
        var conductor = MidiFileWriter.Track(name: "Dense")
        conductor.addTempo(beatsPerMinute: 120, at: 0)
        conductor.endTick = end
        var tracks = [conductor]

        for channel in 0..<16 {
            var track = MidiFileWriter.Track(name: "Channel \(channel + 1)")
            track.add(.programChange(channel: channel, program: programs[channel]), at: 0)
            track.add(.controlChange(channel: channel, controller: 7, value: 90), at: 0)
            track.add(.controlChange(channel: channel, controller: 10, value: channel * 127 / 15), at: 0)

            // Controller sweeps, one step a sixteenth (or a 32nd for pitch bend).
            for step in 0..<(end / 120) {
                let tick = step * 120
                if step % 2 == 0 {
                    track.add(.controlChange(channel: channel, controller: 11, value: 70 + Int(50 * triangle(tick + channel * 97, period: 3840))), at: tick)
                }
                if tick >= 5 * resolution && tick < 15 * resolution && step % 2 == 1 {
                    track.add(.controlChange(channel: channel, controller: 1, value: Int(100 * triangle(tick, period: 4800))), at: tick)
                }
                if channel % 2 == 1 && step % 2 == 0 {
                    track.add(.channelPressure(channel: channel, value: Int(100 * triangle(tick + channel * 211, period: 2880))), at: tick)
                }
            }
            if channel % 3 == 0 {
                for step in 0..<(end / 60) where step * 60 >= 4 * resolution && step * 60 < 18 * resolution {
                    let tick = step * 60
                    let bend = 8192 + Int(4096 * (triangle(tick + channel * 31, period: 1920) - 0.5))
                    track.add(.pitchBend(channel: channel, value: bend), at: tick)
                }
                track.add(.pitchBend(channel: channel, value: 8192), at: 18 * resolution)
            }

            // Notes: distinct keys per channel, started in turn across channels, all held
            // between the last start (tick 5025) and the first release (tick 6240).
            let lowestKey = channel == 9 ? 35 : 36 + (channel % 4) * 3
            let keyStep = channel == 9 ? 2 : 3
            for index in 0..<denseKeysPerChannel {
                let order = index * 16 + channel
                let start = order * 15
                let stop = 13 * resolution + order * 8
                let velocity = 30 + (index * 7 + channel * 5) % 60
                track.addNote(channel: channel, key: lowestKey + index * keyStep, velocity: velocity, at: start, length: stop - start)
            }
            track.endTick = end
            tracks.append(track)
        }
        return MidiFileWriter(format: 1, resolution: resolution).bytes(tracks: tracks)
    }

    /// One A4 (key 69) on piano, velocity 100, held 3 s at 120 BPM (format 0); tuning tests
    /// measure its pitch.
    public static func a440() -> [UInt8] {
        var track = MidiFileWriter.Track(name: "A4")
        track.addTempo(beatsPerMinute: 120, at: 0)
        track.add(.programChange(channel: 0, program: 0), at: 0)
        track.addNote(channel: 0, key: 69, velocity: 100, at: 0, length: 6 * resolution)
        return MidiFileWriter(format: 0, resolution: resolution).bytes(tracks: [track])
    }

    /// 0 → 1 → 0 over `period` ticks.
    private static func triangle(_ tick: Int, period: Int) -> Double {
        let phase = Double(tick % period) / Double(period)
        return phase < 0.5 ? 2 * phase : 2 - 2 * phase
    }
}
