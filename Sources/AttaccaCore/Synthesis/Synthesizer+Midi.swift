/// MIDI message handling: notes, controllers, RPNs, programs, pedals and resets. All of it runs
/// on the render path (events inside `render(...events:)`), so none of it allocates.
extension Synthesizer {
    /// Applies a message now (between render calls: at the start of the next block).
    @_noLocks
    public mutating func send(_ message: MidiMessage) {
        let channel = Int(message.status & 0x0F)
        let data1 = Int(message.data1 & 0x7F), data2 = Int(message.data2 & 0x7F)
        switch message.status & 0xF0 {
        case 0x90:
            if data2 == 0 { noteOff(channel: channel, key: data1) } else { noteOn(channel: channel, key: data1, velocity: data2) }
        case 0x80:
            noteOff(channel: channel, key: data1)
        case 0xB0:
            controlChange(channel: channel, controller: data1, value: data2)
        case 0xC0:
            channels[channel].program = data1
            selectPreset(channel: channel)
        case 0xE0:
            channels[channel].pitchBend = data1 | data2 << 7
            refreshVoices(channel: channel)
        case 0xD0:
            channels[channel].channelPressure = data1
            refreshVoices(channel: channel)
        case 0xA0:
            keyPressure[channel * 128 + data1] = UInt8(data2)
            refreshVoices(channel: channel)
        default:
            if message.status == 0xFF { systemReset() }
        }
    }

    // MARK: Notes

    /// Starts a voice for every region of the channel's preset that holds the key and velocity.
    @inline(__always)
    mutating func noteOn(channel: Int, key: Int, velocity: Int) {
        let preset = channels[channel].presetIndex
        guard preset >= 0 else { return }
        noteSerial &+= 1
        let noteID = noteSerial
        let voices = pool.voices

        // FluidSynth (fluid_synth_release_voice_on_same_note_LOCAL): restriking a key is a note-off
        // for the voices the key still has on this channel, so a pedal keeps them sounding; and when
        // the sostenuto pedal holds the key, it holds the new voices too, as a piano's sostenuto
        // keeps the damper of a string up however often its key is struck.
        var heldBySostenuto = false
        let sustain = channels[channel].sustain
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel
            && voices[i].noteKey == key && !voices[i].isReleased {
            if voices[i].noteOffReceived {
                heldBySostenuto = heldBySostenuto || voices[i].isSostenutoHeld
            } else {
                voices[i].endNote(sustain: sustain)
            }
        }

        let first = regions.presetRegionStart[preset]
        let last = first + regions.presetRegionCount[preset]
        var r = first
        while r < last {
            let region = regions.regions[r]
            r += 1
            guard region.contains(key: key, velocity: velocity) else { continue }
            let generators = regions.generators + region.generatorOffset

            let exclusiveClass = Int(generators[57 /* exclusiveClass */])
            if exclusiveClass != 0 {
                for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel
                    && voices[i].exclusiveClass == exclusiveClass && voices[i].noteID != noteID {
                    voices[i].isKilled = true
                    voices[i].isReleased = true
                }
            }

            let index = pool.allocate(now: frameClock, outputRate: outputRate, channels: UnsafePointer(channels))
            let voice = voices + index
            let keyOverride = Int(generators[46 /* keynum */])
            let velocityOverride = Int(generators[47 /* velocity */])
            voice.pointee.channel = channel
            voice.pointee.noteKey = key
            voice.pointee.key = (0...127).contains(keyOverride) ? keyOverride : key
            voice.pointee.velocity = (0...127).contains(velocityOverride) ? velocityOverride : velocity
            voice.pointee.regionIndex = r - 1
            voice.pointee.noteID = noteID
            voice.pointee.startFrame = frameClock
            computeModulation(for: voice)
            voice.pointee.begin(generators: UnsafePointer(generators), modulation: UnsafePointer(modulationScratch),
                                sample: regions.samples[region.sampleIndex], sampleDataCount: sampleDataCount,
                                has24BitSamples: sampleData24 != nil,
                                channelState: channels[channel], outputRate: outputRate, outputGain: settings.gain,
                                wholeCentPitch: wholeCentPitch)
            // The sostenuto pedal holds only notes that were down when it was pressed, and keys it
            // held that are struck again.
            voice.pointee.isSostenutoHeld = heldBySostenuto
        }
    }

    /// Releases every voice of the key on the channel, or marks it held by a pedal.
    @inline(__always)
    mutating func noteOff(channel: Int, key: Int) {
        let voices = pool.voices
        let sustain = channels[channel].sustain
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel
            && voices[i].noteKey == key && !voices[i].noteOffReceived && !voices[i].isReleased {
            voices[i].endNote(sustain: sustain)
        }
    }

    /// Note-off for every key on the channel (CC123 and the other channel mode messages).
    mutating func allNotesOff(channel: Int) {
        for key in 0..<128 { noteOff(channel: channel, key: key) }
    }

    /// Silences every voice on the channel within one sub-block (CC120).
    mutating func allSoundOff(channel: Int) {
        let voices = pool.voices
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel {
            voices[i].isKilled = true
            voices[i].isReleased = true
        }
    }

    // MARK: Controllers

    @inline(__always)
    mutating func controlChange(channel: Int, controller: Int, value: Int) {
        controllers[channel * 128 + controller] = UInt8(value)
        switch controller {
        case 0:
            channels[channel].bankMSB = value
        case 32:
            channels[channel].bankLSB = value
        case 6, 38, 96, 97:
            dataEntry(channel: channel, controller: controller, value: value)
        case 98, 99:
            channels[channel].nonRegisteredSelected = true
        case 100:
            channels[channel].registeredParameter = (channels[channel].registeredParameter & 0x3F80) | value
            channels[channel].nonRegisteredSelected = false
        case 101:
            channels[channel].registeredParameter = (channels[channel].registeredParameter & 0x7F) | value << 7
            channels[channel].nonRegisteredSelected = false
        case 64:
            let down = value >= 64
            channels[channel].sustain = down
            if !down { releaseSustained(channel: channel) }
        case 66:
            let down = value >= 64
            let wasDown = channels[channel].sostenuto
            channels[channel].sostenuto = down
            if down && !wasDown {
                let voices = pool.voices
                for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel
                    && !voices[i].noteOffReceived && !voices[i].isReleased {
                    voices[i].isSostenutoHeld = true
                }
            } else if !down && wasDown {
                releaseSostenuto(channel: channel)
            }
        case 67:
            // Soft pedal, as FluidSynth 2.3.1 treats it: no built-in effect (SF2 2.04 defines no
            // default modulator for it, and fluid_synth_cc_LOCAL has no case for it), but CC67 is a
            // legal modulator source (SF2 8.2.1 excludes only 0, 6, 32, 38, 64, 66, 98-101, 120-127),
            // so voices are re-modulated: a SoundFont modulator sourced from CC67 acts on them.
            channels[channel].soft = value >= 64
            refreshVoices(channel: channel)
        case 120:
            allSoundOff(channel: channel)
        case 121:
            resetControllers(channel: channel)
        case 123, 124, 125, 126, 127:
            allNotesOff(channel: channel)
        default:
            refreshVoices(channel: channel)
        }
    }

    /// Data entry (CC6/38) and increment/decrement (CC96/97) for the selected RPN 0, 1 or 2.
    mutating func dataEntry(channel: Int, controller: Int, value: Int) {
        var state = channels[channel]
        guard !state.nonRegisteredSelected else { return }
        switch (state.registeredParameter, controller) {
        case (0, 6): state.pitchBendRangeSemitones = value
        case (0, 38): state.pitchBendRangeCents = value
        case (0, 96): state.pitchBendRangeSemitones = min(state.pitchBendRangeSemitones + 1, 127)
        case (0, 97): state.pitchBendRangeSemitones = max(state.pitchBendRangeSemitones - 1, 0)
        case (1, 6): state.fineTuning = value << 7 | (state.fineTuning & 0x7F)
        case (1, 38): state.fineTuning = (state.fineTuning & 0x3F80) | value
        case (1, 96): state.fineTuning = min(state.fineTuning + 1, 16383)
        case (1, 97): state.fineTuning = max(state.fineTuning - 1, 0)
        case (2, 6): state.coarseTuning = value
        case (2, 96): state.coarseTuning = min(state.coarseTuning + 1, 127)
        case (2, 97): state.coarseTuning = max(state.coarseTuning - 1, 0)
        default: return
        }
        channels[channel] = state
        refreshVoices(channel: channel)
    }

    /// Sustain pedal up: releases voices whose note-off came while it was down.
    mutating func releaseSustained(channel: Int) {
        let voices = pool.voices
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel && voices[i].isSustained {
            voices[i].isSustained = false
            if !voices[i].isSostenutoHeld { voices[i].release() }
        }
    }

    /// Sostenuto pedal up: held voices whose key is up are released (or passed to sustain).
    mutating func releaseSostenuto(channel: Int) {
        let voices = pool.voices
        let sustain = channels[channel].sustain
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel && voices[i].isSostenutoHeld {
            voices[i].isSostenutoHeld = false
            if voices[i].noteOffReceived && !voices[i].isReleased {
                if sustain { voices[i].isSustained = true } else { voices[i].release() }
            }
        }
    }

    /// CC121 (RP-015): wheel, pressures, pedals, modulation and expression back to defaults;
    /// volume, pan, effect sends, bank and program stay.
    mutating func resetControllers(channel: Int) {
        let base = controllers + channel * 128
        for controller in 1..<120 where controller != 7 && controller != 10 && controller != 32
            && controller != 91 && controller != 93 {
            base[controller] = 0
        }
        base[11] = 127
        base[98] = 127; base[99] = 127; base[100] = 127; base[101] = 127
        (keyPressure + channel * 128).update(repeating: 0, count: 128)
        channels[channel].resetControllers()
        releaseSustained(channel: channel)
        releaseSostenuto(channel: channel)
        refreshVoices(channel: channel)
    }

    /// Power-on state for every channel: controllers, programs, RPNs.
    mutating func resetAllChannels() {
        for channel in 0..<16 {
            channels[channel] = ChannelState(channel: channel)
            let base = controllers + channel * 128
            base.update(repeating: 0, count: 128)
            base[7] = 100
            base[10] = 64
            base[11] = 127
            base[98] = 127; base[99] = 127; base[100] = 127; base[101] = 127
            (keyPressure + channel * 128).update(repeating: 0, count: 128)
            selectPreset(channel: channel)
        }
    }

    /// MIDI system reset (and GM/GS reset): all voices stop at once, all channels reset, the
    /// reverb's and chorus's tails cleared (as fluid_synth_system_reset_LOCAL).
    mutating func systemReset() {
        pool.freeAll()
        resetAllChannels()
        reverb.clear()
        chorus.clear()
    }

    /// Resolves the channel's bank and program to a preset (used for the following notes).
    @inline(__always)
    mutating func selectPreset(channel: Int) {
        let state = channels[channel]
        let bank = state.isPercussion ? 128 : state.bankMSB
        channels[channel].presetIndex = regions.findPreset(bank: bank, program: state.program, percussion: state.isPercussion)
    }
}
