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
            if message.status == 0xFF {
                systemReset()
            } else if message.status == 0xF0 {
                receiveSysex(message.data1)
                receiveSysex(message.data2)
            }
        }
    }

    // MARK: Notes

    /// A note-on, played polyphonically or, on a mono channel (CC126) or with the legato pedal
    /// (CC68) down, monophonically: FluidSynth's fluid_synth_noteon_LOCAL and its legato detector.
    @_noLocks
    @inline(__always)
    mutating func noteOn(channel: Int, key: Int, velocity: Int) {
        guard channels[channel].presetIndex >= 0 else { return }
        if isPlayingMono(channel) {
            addToMonoList(channel: channel, key: key, velocity: velocity, only: false)
            let state = channels[channel]
            legatoNoteOn(channel: channel, from: state.isLegatoPlaying ? state.previousNote : -1,
                         to: key, velocity: velocity, heldBySostenuto: false)
            return
        }
        addToMonoList(channel: channel, key: key, velocity: velocity, only: true)

        // FluidSynth (fluid_synth_release_voice_on_same_note_LOCAL): restriking a key is a note-off
        // for the voices the key still has on this channel, so a pedal keeps them sounding; and when
        // the sostenuto pedal holds the key, it holds the new voices too, as a piano's sostenuto
        // keeps the damper of a string up however often its key is struck.
        let voices = pool.voices
        var heldBySostenuto = false
        let sustain = channels[channel].sustain
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel
            && voices[i].noteKey == key && !voices[i].isReleased {
            if voices[i].noteOffReceived {
                heldBySostenuto = heldBySostenuto || voices[i].isSostenutoHeld
            } else {
                voices[i].endNote(sustain: sustain, tooSoonBy: framesBeforeMinimumLength(voices[i]))
            }
        }
        legatoNoteOn(channel: channel, from: -1, to: key, velocity: velocity, heldBySostenuto: heldBySostenuto)
    }

    /// Mono mode or legato pedal (FluidSynth's `fluid_channel_is_playing_mono`).
    @_noLocks
    @inline(__always)
    func isPlayingMono(_ channel: Int) -> Bool {
        channels[channel].isMono || controllers[channel * 128 + 68] >= 64
    }

    /// FluidSynth's fluid_synth_noteon_monopoly_legato: when `from` (or a portamento control
    /// key) names a note still down, its voices whose zone also holds `to` carry on as `to`
    /// (multi-retrigger: envelopes back to their attack, pitch gliding if portamento is on) and
    /// the others are released; the regions not carried on start new voices.
    @_noLocks
    @inline(__always)
    mutating func legatoNoteOn(channel: Int, from: Int, to key: Int, velocity: Int, heldBySostenuto: Bool) {
        let fromLegato = fromKeyPortamentoLegato(channel: channel, defaultFrom: from)
        legatoRegionCount = 0
        if fromLegato >= 0 {
            let voices = pool.voices
            for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel
                && voices[i].noteKey == fromLegato && !voices[i].noteOffReceived && !voices[i].isReleased {
                let voice = voices + i
                let regionIndex = voice.pointee.regionIndex
                let region = regions.regions[regionIndex]
                guard channels[channel].legatoMode == 1, region.contains(key: key, velocity: velocity),
                      legatoRegionCount < 64 else {
                    voice.pointee.release(after: framesBeforeMinimumLength(voice.pointee))
                    continue
                }
                let generators = regions.generators + region.generatorOffset
                let previousGain = voice.pointee.attenuationGain
                setKey(voice, key: key, velocity: velocity, generators: generators)
                computeModulation(for: voice)
                voice.pointee.applyModulation(generators: UnsafePointer(generators),
                                              modulation: UnsafePointer(modulationScratch), channelState: channels[channel])
                voice.pointee.retriggerAttack(previousAttenuationGain: previousGain)
                startPortamento(voice)
                legatoRegions[legatoRegionCount] = regionIndex
                legatoRegionCount += 1
            }
        }
        startVoices(channel: channel, key: key, velocity: velocity, heldBySostenuto: heldBySostenuto)
    }

    /// Key, velocity (unless the zone's keynum/velocity generators fix them) and tuning of a voice.
    @_noLocks
    @inline(__always)
    func setKey(_ voice: UnsafeMutablePointer<Voice>, key: Int, velocity: Int, generators: UnsafeMutablePointer<Float>) {
        let keyOverride = Int(generators[46 /* keynum */])
        let velocityOverride = Int(generators[47 /* velocity */])
        voice.pointee.noteKey = key
        voice.pointee.key = (0...127).contains(keyOverride) ? keyOverride : key
        voice.pointee.velocity = (0...127).contains(velocityOverride) ? velocityOverride : velocity
        setTuning(voice)
    }

    /// The voice's pitches from its channel's tuning table (none: equal temperament).
    @_noLocks
    @inline(__always)
    func setTuning(_ voice: UnsafeMutablePointer<Voice>) {
        let slot = channels[voice.pointee.channel].tuningSlot
        guard slot >= 0 else {
            voice.pointee.tunedKey = -1
            return
        }
        let table = tunings + slot * 128
        voice.pointee.tunedKey = table[voice.pointee.key & 127]
        let root = Int(voice.pointee.rootCents / 100)
        voice.pointee.tunedRoot = table[root < 0 ? 0 : (root > 127 ? 127 : root)]
    }

    /// Starts the voice's glide from `portamentoFromKey`, over CC5 × 128 + CC37 milliseconds as
    /// FluidSynth reads them (`fluid_channel_portamentotime`, `fluid_voice_update_portamento`).
    @_noLocks
    @inline(__always)
    func startPortamento(_ voice: UnsafeMutablePointer<Voice>) {
        let from = portamentoFromKey
        guard from >= 0 && from < 128 else { return }
        let base = controllers + voice.pointee.channel * 128
        let milliseconds = Double(Int(base[5]) * 128 + Int(base[37]))
        let blocks = Int(outputRate * 0.001 * milliseconds / 64 + 0.5)  // per sub-block (subBlockSize), as FLUID_BUFSIZE
        let slot = channels[voice.pointee.channel].tuningSlot
        let table = slot >= 0 ? tunings + slot * 128 : nil
        let to = voice.pointee.key
        let begin = voice.pointee.keyPitch(from, tunedPitch: table?[from] ?? 0)
        let end = voice.pointee.keyPitch(to, tunedPitch: table?[to & 127] ?? 0)
        voice.pointee.startPortamento(offset: begin - end, blocks: blocks)
    }

    /// Starts a voice for every region of the channel's preset that holds the key and velocity
    /// (but those a legato note-on carried on).
    @_noLocks
    @inline(__always)
    mutating func startVoices(channel: Int, key: Int, velocity: Int, heldBySostenuto: Bool) {
        let preset = channels[channel].presetIndex
        guard preset >= 0 else { return }
        noteSerial &+= 1
        let noteID = noteSerial
        let voices = pool.voices
        let first = regions.presetRegionStart[preset]
        let last = first + regions.presetRegionCount[preset]
        var r = first
        regionLoop: while r < last {
            let region = regions.regions[r]
            r += 1
            guard region.contains(key: key, velocity: velocity) else { continue }
            for k in 0..<legatoRegionCount where legatoRegions[k] == r - 1 { continue regionLoop }
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
            voice.pointee.channel = channel
            voice.pointee.tunedKey = -1
            setKey(voice, key: key, velocity: velocity, generators: generators)
            voice.pointee.regionIndex = r - 1
            voice.pointee.noteID = noteID
            voice.pointee.startFrame = frameClock
            computeModulation(for: voice)
            voice.pointee.begin(generators: UnsafePointer(generators), modulation: UnsafePointer(modulationScratch),
                                sample: regions.samples[region.sampleIndex], sampleDataCount: sampleDataCount,
                                has24BitSamples: sampleData24 != nil,
                                channelState: channels[channel], outputRate: outputRate, outputGain: settings.gain,
                                wholeCentPitch: wholeCentPitch)
            if voice.pointee.tunedKey >= 0 {
                // The root's tuned pitch needs the root key `begin` found.
                setTuning(voice)
                voice.pointee.applyModulation(generators: UnsafePointer(generators),
                                              modulation: UnsafePointer(modulationScratch), channelState: channels[channel])
            }
            startPortamento(voice)
            // The sostenuto pedal holds only notes that were down when it was pressed, and keys it
            // held that are struck again.
            voice.pointee.isSostenutoHeld = heldBySostenuto
        }
    }

    /// FluidSynth's fluid_synth_get_fromkey_portamento_legato: sets `portamentoFromKey` (the
    /// portamento control key CC84 once, else with CC65 on the previous note as the portamento
    /// mode allows) and returns the key to continue legato from (-1 for none).
    @_noLocks
    @inline(__always)
    mutating func fromKeyPortamentoLegato(channel: Int, defaultFrom: Int) -> Int {
        var from = defaultFrom
        let base = controllers + channel * 128
        let control = Int(base[84])
        let state = channels[channel]
        if control < 128 {
            base[84] = 255  // used once
            portamentoFromKey = control
            if from < 0 { from = control }
            return from
        }
        var portamento = -1
        if base[65] >= 64 {
            portamento = from >= 0 ? from : state.previousNote
            if state.portamentoMode == 1 && !state.isLegatoPlaying { portamento = -1 }
            if state.portamentoMode == 2 && state.isLegatoPlaying { portamento = -1 }
        }
        portamentoFromKey = portamento
        if from < 0 && isPlayingMono(channel) && state.isLegatoPlaying { from = state.previousNote }
        return from
    }

    /// FluidSynth's fluid_channel_add_monolist: the legato state (a note still down?), the
    /// previous note, then the key appended (`only`: the list keeps just this key).
    @_noLocks
    @inline(__always)
    mutating func addToMonoList(channel: Int, key: Int, velocity: Int, only: Bool) {
        var state = channels[channel]
        let size = 10  // Self.monoListSize
        let list = monoList + channel * size * 2
        state.isLegatoPlaying = state.monoCount > 0
        if state.monoCount > 0 { state.previousNote = Int(list[(state.monoCount - 1) * 2]) }
        if only { state.monoCount = 0 }
        if state.monoCount == size {
            for i in 0..<(size - 1) * 2 { list[i] = list[i + 2] }
            state.monoCount -= 1
        }
        list[state.monoCount * 2] = UInt8(key)
        list[state.monoCount * 2 + 1] = UInt8(velocity)
        state.monoCount += 1
        channels[channel] = state
    }

    /// A note-off: on a mono channel the previous key still down takes over (legato back to it);
    /// otherwise the key's voices are released or held by a pedal.
    @_noLocks
    @inline(__always)
    mutating func noteOff(channel: Int, key: Int) {
        let size = 10  // Self.monoListSize
        let list = monoList + channel * size * 2
        var state = channels[channel]
        if isPlayingMono(channel) {
            var found = state.monoCount - 1
            while found >= 0 && Int(list[found * 2]) != key { found -= 1 }
            if found >= 0 {
                let wasLast = found == state.monoCount - 1
                var i = found * 2
                while i < (state.monoCount - 1) * 2 {
                    list[i] = list[i + 2]
                    i += 1
                }
                state.monoCount -= 1
                channels[channel] = state
                if wasLast && state.monoCount > 0 {
                    let back = Int(list[(state.monoCount - 1) * 2]), velocity = Int(list[(state.monoCount - 1) * 2 + 1])
                    channels[channel].isLegatoPlaying = true
                    legatoNoteOn(channel: channel, from: key, to: back, velocity: velocity, heldBySostenuto: false)
                } else if state.monoCount == 0 {
                    channels[channel].isLegatoPlaying = false
                    channels[channel].previousNote = key
                    releaseKey(channel: channel, key: key)
                }
                invalidatePreviousNoteIfStaccato(channel: channel)
                return
            }
        } else if state.monoCount > 0 && Int(list[(state.monoCount - 1) * 2]) == key {
            state.previousNote = key
            state.monoCount = 0
            state.isLegatoPlaying = false
            channels[channel] = state
        }
        releaseKey(channel: channel, key: key)
        invalidatePreviousNoteIfStaccato(channel: channel)
    }

    /// FluidSynth's fluid_channel_invalid_prev_note_staccato: playing staccato with the
    /// portamento pedal up, the next note does not glide from the last one.
    @_noLocks
    @inline(__always)
    mutating func invalidatePreviousNoteIfStaccato(channel: Int) {
        if !channels[channel].isLegatoPlaying && controllers[channel * 128 + 65] < 64 {
            channels[channel].previousNote = -1
        }
    }

    /// Releases every voice of the key on the channel, or marks it held by a pedal.
    @_noLocks
    @inline(__always)
    mutating func releaseKey(channel: Int, key: Int) {
        let voices = pool.voices
        let sustain = channels[channel].sustain
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel
            && voices[i].noteKey == key && !voices[i].noteOffReceived && !voices[i].isReleased {
            voices[i].endNote(sustain: sustain, tooSoonBy: framesBeforeMinimumLength(voices[i]))
        }
    }

    /// Frames `voice` still lacks of the minimum note length (0 once it has sounded that long).
    @_noLocks
    @inline(__always)
    func framesBeforeMinimumLength(_ voice: borrowing Voice) -> Int {
        let age = frameClock &- voice.startFrame
        return age < minimumNoteFrames ? Int(minimumNoteFrames - age) : 0
    }

    /// Note-off for every key on the channel (CC123 and the other channel mode messages).
    @_noLocks
    mutating func allNotesOff(channel: Int) {
        for key in 0..<128 { releaseKey(channel: channel, key: key) }
        channels[channel].monoCount = 0
        channels[channel].isLegatoPlaying = false
        channels[channel].previousNote = -1
    }

    /// Silences every voice on the channel within one sub-block (CC120).
    @_noLocks
    mutating func allSoundOff(channel: Int) {
        let voices = pool.voices
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel {
            voices[i].isKilled = true
            voices[i].isReleased = true
        }
    }

    // MARK: Controllers

    @_noLocks
    @inline(__always)
    mutating func controlChange(channel: Int, controller: Int, value: Int) {
        controllers[channel * 128 + controller] = UInt8(value)
        switch controller {
        case 0:
            bankSelectMSB(channel: channel, value: value)
        case 32:
            bankSelectLSB(channel: channel, value: value)
        case 6:
            if channels[channel].nrpnActive {
                nonRegisteredDataEntry(channel: channel, value: value)
            } else {
                dataEntry(channel: channel, controller: controller, value: value)
            }
        case 38, 96, 97:
            dataEntry(channel: channel, controller: controller, value: value)
        case 98:
            // SF2 2.04 9.6 (fluid_synth_cc_LOCAL): under NRPN MSB 120, LSB 100/101/102 add 100,
            // 1000, 10000 to the generator number, below 100 add themselves.
            if controllers[channel * 128 + 99] == 120 {
                if value == 100 { channels[channel].nrpnSelect += 100 }
                else if value == 101 { channels[channel].nrpnSelect += 1000 }
                else if value == 102 { channels[channel].nrpnSelect += 10000 }
                else if value < 100 { channels[channel].nrpnSelect += value }
            }
            channels[channel].nrpnActive = true
        case 99:
            controllers[channel * 128 + 98] = 0
            channels[channel].nrpnSelect = 0
            channels[channel].nrpnActive = true
        case 100:
            channels[channel].registeredParameter = (channels[channel].registeredParameter & 0x3F80) | value
            channels[channel].nrpnActive = false
        case 101:
            channels[channel].registeredParameter = (channels[channel].registeredParameter & 0x7F) | value << 7
            channels[channel].nrpnActive = false
        case 64:
            let down = value >= 64
            channels[channel].sustain = down
            if !down { releaseSustained(channel: channel) }
        case 65:
            // Portamento pedal: leaving it, a staccato player's next note does not glide.
            invalidatePreviousNoteIfStaccato(channel: channel)
        case 5, 37, 84:
            break  // portamento time and control key: read at the next note-on
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
        case 123, 124, 125:
            allNotesOff(channel: channel)
        case 126, 127:
            // Mono on / poly on, per channel (FluidSynth applies them to a basic channel's group).
            allNotesOff(channel: channel)
            channels[channel].isMono = controller == 126
        default:
            refreshVoices(channel: channel)
        }
    }

    /// CC0 as FluidSynth's fluid_channel_set_bank_msb reads it in each bank-select style.
    @_noLocks
    mutating func bankSelectMSB(channel: Int, value: Int) {
        switch bankStyle {
        case .xg: channels[channel].isPercussion = value >= 120
        case .gm: break
        case .gs: if !channels[channel].isPercussion { channels[channel].bank = value }
        case .mma: if !channels[channel].isPercussion { channels[channel].bank = value << 7 | (channels[channel].bank & 127) }
        }
    }

    /// CC32 as FluidSynth's fluid_channel_set_bank_lsb reads it.
    @_noLocks
    mutating func bankSelectLSB(channel: Int, value: Int) {
        switch bankStyle {
        case .gm, .gs: break
        case .xg: channels[channel].bank = value
        case .mma: channels[channel].bank = (channels[channel].bank & ~127) | value
        }
    }

    /// Data entry (CC6/38) and increment/decrement (CC96/97) for the selected RPN 0-4.
    @_noLocks
    mutating func dataEntry(channel: Int, controller: Int, value: Int) {
        var state = channels[channel]
        guard !state.nrpnActive else { return }
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
        case (3, 6):
            // Tuning program change: activates (tuning bank, program), an equal-tempered one
            // when none was defined, retuning sounding notes (fluid_synth_activate_tuning, apply).
            state.tuningProgram = value
            state.tuningSlot = tuningSlot(bank: state.tuningBank, program: value, create: true)
            channels[channel] = state
            retune(channel: channel)
            return
        case (4, 6):
            state.tuningBank = value
            channels[channel] = state
            return
        default: return
        }
        channels[channel] = state
        refreshVoices(channel: channel)
    }

    /// Sustain pedal up: releases voices whose note-off came while it was down.
    @_noLocks
    mutating func releaseSustained(channel: Int) {
        let voices = pool.voices
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel && voices[i].isSustained {
            voices[i].isSustained = false
            if !voices[i].isSostenutoHeld { voices[i].release(after: framesBeforeMinimumLength(voices[i])) }
        }
    }

    /// Sostenuto pedal up: held voices whose key is up are released (or passed to sustain).
    @_noLocks
    mutating func releaseSostenuto(channel: Int) {
        let voices = pool.voices
        let sustain = channels[channel].sustain
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel && voices[i].isSostenutoHeld {
            voices[i].isSostenutoHeld = false
            if voices[i].noteOffReceived && !voices[i].isReleased {
                if sustain {
                    voices[i].isSustained = true
                } else {
                    voices[i].release(after: framesBeforeMinimumLength(voices[i]))
                }
            }
        }
    }

    /// CC121 (RP-015): wheel, pressures, pedals, modulation, expression and NRPN offsets back to
    /// defaults; volume, pan, effect sends, bank and program stay.
    @_noLocks
    mutating func resetControllers(channel: Int) {
        let base = controllers + channel * 128
        for controller in 1..<120 where controller != 7 && controller != 10 && controller != 32
            && controller != 91 && controller != 93 {
            base[controller] = 0
        }
        base[11] = 127
        base[84] = 255  // no portamento control key
        base[98] = 127; base[99] = 127; base[100] = 127; base[101] = 127
        (keyPressure + channel * 128).update(repeating: 0, count: 128)
        // NRPN generator offsets too, as fluid_channel_init_ctrl clears the channel's generators.
        (generatorOffsets + channel * 61).update(repeating: 0, count: 61)
        channels[channel].resetControllers()
        releaseSustained(channel: channel)
        releaseSostenuto(channel: channel)
        refreshVoices(channel: channel)
    }

    /// Power-on state for every channel: controllers, programs, RPNs.
    @_noLocks
    mutating func resetAllChannels() {
        for channel in 0..<16 {
            channels[channel] = ChannelState(channel: channel)
            switch settings.portamentoMode {
            case .eachNote: channels[channel].portamentoMode = 0
            case .legatoOnly: channels[channel].portamentoMode = 1
            case .staccatoOnly: channels[channel].portamentoMode = 2
            }
            if case .retrigger = settings.legatoMode { channels[channel].legatoMode = 0 }
            let base = controllers + channel * 128
            base.update(repeating: 0, count: 128)
            base[7] = 100
            base[10] = 64
            base[11] = 127
            base[84] = 255  // no portamento control key
            base[98] = 127; base[99] = 127; base[100] = 127; base[101] = 127
            (keyPressure + channel * 128).update(repeating: 0, count: 128)
            (generatorOffsets + channel * 61).update(repeating: 0, count: 61)
            (drumPitch + channel * 128).update(repeating: 64, count: 128)
            (drumLevel + channel * 128).update(repeating: 127, count: 128)
            (drumPan + channel * 128).update(repeating: 64, count: 128)
            selectPreset(channel: channel)
        }
    }

    /// MIDI system reset (and GM/GS reset): all voices stop at once, all channels reset, the
    /// reverb's and chorus's tails cleared (as fluid_synth_system_reset_LOCAL).
    @_noLocks
    mutating func systemReset() {
        pool.freeAll()
        masterGain = 1
        sysexReceiving = false
        resetAllChannels()
        reverb.clear()
        chorus.clear()
    }

    /// Resolves the channel's bank and program to a preset (used for the following notes).
    @_noLocks
    @inline(__always)
    mutating func selectPreset(channel: Int) {
        let state = channels[channel]
        let bank = state.isPercussion ? 128 : state.bank
        channels[channel].presetIndex = regions.findPreset(bank: bank, program: state.program, percussion: state.isPercussion)
    }
}
