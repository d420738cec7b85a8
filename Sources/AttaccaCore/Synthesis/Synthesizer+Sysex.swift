/// System exclusive messages, MIDI Tuning Standard and NRPNs. Sysex arrives as
/// `MidiMessage.sysex` chunks and is gathered in `sysexBuffer` (preallocated), so like the rest of
/// `send` none of this allocates.
extension Synthesizer {
    /// One byte of a sysex stream: F0 starts a message, F7 ends and handles it; real-time bytes
    /// (F8-FF, the pieces' padding among them) are skipped, as MIDI lets them interleave. A message
    /// longer than `sysexCapacity` or with another status byte is dropped.
    @_noLocks
    @inline(__always)
    mutating func receiveSysex(_ byte: UInt8) {
        if byte == 0xF0 {
            sysexLength = 0
            sysexReceiving = true
            return
        }
        guard sysexReceiving, byte < 0xF8 else { return }
        if byte == 0xF7 {
            sysexReceiving = false
            handleSysex(count: sysexLength)
        } else if byte >= 0x80 || sysexLength >= 512 /* sysexCapacity */ {
            sysexReceiving = false
        } else {
            sysexBuffer[sysexLength] = byte
            sysexLength += 1
        }
    }

    /// The message in `sysexBuffer` (between F0 and F7). Any device ID is accepted.
    @_noLocks
    mutating func handleSysex(count n: Int) {
        let d = sysexBuffer
        guard n >= 4 else { return }
        switch d[0] {
        case 0x7E, 0x7F:
            let realtime = d[0] == 0x7F
            if d[2] == 0x08 {
                midiTuning(count: n, realtime: realtime)
            } else if !realtime && d[2] == 0x09 && (d[3] == 0x01 || d[3] == 0x03) {
                // GM / GM2 System On: FluidSynth also switches bank select to GM.
                bankStyle = .gm
                systemReset()
            } else if realtime && d[2] == 0x04 && d[3] == 0x01 && n >= 6 {
                // Master volume, 14 bits, as an amplitude factor.
                masterGain = Float(Int(d[4]) | Int(d[5]) << 7) / 16383
            }
        case 0x41 where d[2] == 0x42 && d[3] == 0x12:
            rolandDataSet(count: n)
        case 0x43 where n >= 7 && d[2] == 0x4C && d[1] & 0xF0 == 0x10:
            // XG System On (or reset to factory): XG bank select, then reset.
            let address = Int(d[3]) << 16 | Int(d[4]) << 8 | Int(d[5])
            if (address == 0x7E || address == 0x7F) && d[6] == 0 {
                bankStyle = .xg
                systemReset()
            }
        default:
            break
        }
    }

    /// Roland GS DT1 (fluid_synth_sysex_gs_dt1): GS Reset / GM mode, and "use for rhythm part".
    @_noLocks
    mutating func rolandDataSet(count n: Int) {
        let d = sysexBuffer
        guard n >= 9 else { return }
        var sum = 0
        for i in 4..<(n - 1) { sum += Int(d[i]) }
        guard (0x80 - (sum & 0x7F)) & 0x7F == Int(d[n - 1]) else { return }
        let address = Int(d[4]) << 16 | Int(d[5]) << 8 | Int(d[6])
        let dataCount = n - 8
        if address == 0x40007F {
            guard dataCount == 1, d[7] == 0 || d[7] == 0x7F else { return }
            bankStyle = d[7] == 0 ? .gs : .gm
            systemReset()
            return
        }
        guard case .gs = bankStyle else { return }
        if address & 0xFFF0FF == 0x401015 && dataCount == 1 && d[7] <= 2 {
            // Part numbers: 0 is channel 10, 1-9 are channels 1-9, 10-15 are themselves.
            let part = (address >> 8) & 0x0F
            let channel = part >= 10 ? part : (part == 0 ? 9 : part - 1)
            channels[channel].isPercussion = d[7] != 0
            channels[channel].program = 0
            selectPreset(channel: channel)
        }
    }

    // MARK: MIDI Tuning Standard

    /// Bulk dump (01, 04 with bank), single-note changes (02 real-time, 07 with bank) and
    /// scale/octave tuning (08 1-byte, 09 2-byte), as fluid_synth_sysex_midi_tuning reads them.
    /// Real-time messages retune sounding notes; the others only notes that start afterwards.
    @_noLocks
    mutating func midiTuning(count n: Int, realtime: Bool) {
        let d = sysexBuffer
        switch d[3] {
        case 0x01, 0x04:
            let hasBank = d[3] == 0x04
            let first = hasBank ? 6 : 5  // bank?, program, then a 16-character name
            guard n >= first + 16 + 384 else { return }
            let bank = hasBank ? Int(d[4]) : 0
            let slot = tuningSlot(bank: bank, program: Int(d[first - 1]), create: true)
            guard slot >= 0 else { return }
            for key in 0..<128 {
                let p = first + 16 + key * 3
                if let cents = Self.tuningPitch(d[p], d[p + 1], d[p + 2]) { tunings[slot * 128 + key] = cents }
            }
            if realtime { retune(slot: slot) }
        case 0x02, 0x07:
            let hasBank = d[3] == 0x07
            let p = hasBank ? 5 : 4
            guard n >= p + 2 else { return }
            let count = Int(d[p + 1])
            guard n == p + 2 + 4 * count else { return }
            let slot = tuningSlot(bank: hasBank ? Int(d[4]) : 0, program: Int(d[p]), create: true)
            guard slot >= 0 else { return }
            for i in 0..<count {
                let q = p + 2 + 4 * i
                if let cents = Self.tuningPitch(d[q + 1], d[q + 2], d[q + 3]) { tunings[slot * 128 + Int(d[q])] = cents }
            }
            if realtime || d[3] == 0x02 { retune(slot: slot) }
        case 0x08, 0x09:
            let twoBytes = d[3] == 0x09
            guard n == (twoBytes ? 31 : 19) else { return }
            // FluidSynth: the octave tuning becomes tuning bank 0, program 0, and the channels the
            // message names (bit i of ff gg hh: channel i) switch to it.
            let slot = tuningSlot(bank: 0, program: 0, create: true)
            guard slot >= 0 else { return }
            for key in 0..<128 {
                let i = key % 12
                let deviation = twoBytes
                    ? Double(Int(d[7 + 2 * i]) << 7 | Int(d[8 + 2 * i]) - 8192) * (200.0 / 16384)
                    : Double(Int(d[7 + i]) - 64)
                tunings[slot * 128 + key] = Double(key * 100) + deviation
            }
            let mask = Int(d[4] & 3) << 14 | Int(d[5]) << 7 | Int(d[6])
            for channel in 0..<16 where mask & (1 << channel) != 0 {
                channels[channel].tuningBank = 0
                channels[channel].tuningProgram = 0
                channels[channel].tuningSlot = slot
            }
            if realtime { retune(slot: slot) }
        default:
            break
        }
    }

    /// A key's pitch from an MTS triple: semitone, then 14 bits of 1/16384 semitone; nil for the
    /// "no change" value 7F 7F 7F.
    @_noLocks
    @inline(__always)
    static func tuningPitch(_ semitone: UInt8, _ msb: UInt8, _ lsb: UInt8) -> Double? {
        let fraction = Int(msb) << 7 | Int(lsb)
        if semitone == 0x7F && fraction == 16383 { return nil }
        return Double(semitone) * 100 + Double(fraction) * 100 / 16384
    }

    /// The store slot of tuning (bank, program); with `create`, a new equal-tempered one when
    /// absent. -1 when absent (or the store is full).
    @_noLocks
    mutating func tuningSlot(bank: Int, program: Int, create: Bool) -> Int {
        let id = Int32(bank << 7 | program)
        var free = -1
        for slot in 0..<32 /* tuningSlots */ {
            if tuningIDs[slot] == id { return slot }
            if free < 0 && tuningIDs[slot] < 0 { free = slot }
        }
        guard create && free >= 0 else { return -1 }
        tuningIDs[free] = id
        for key in 0..<128 { tunings[free * 128 + key] = Double(key * 100) }
        return free
    }

    /// Sounding notes of every channel using `slot` take its new pitches.
    @_noLocks
    mutating func retune(slot: Int) {
        for channel in 0..<16 where channels[channel].tuningSlot == slot {
            retune(channel: channel)
        }
    }

    /// Sounding notes of `channel` take the channel's tuning now.
    @_noLocks
    mutating func retune(channel: Int) {
        let voices = pool.voices
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel {
            setTuning(voices + i)
        }
        refreshVoices(channel: channel)
    }

    // MARK: NRPN

    /// FluidSynth's `nrpn_scale` per generator (fluid_gen.c): SF2 9.6 NRPN data (14 bits around
    /// 8192) times this is the generator offset; 0 where an NRPN may not change the generator.
    @_noLocks
    @inline(__always)
    static func nrpnScale(_ generator: Int) -> Float {
        switch generator {
        case 5, 6, 7, 8, 10, 11, 21, 23, 25, 26, 27, 28, 30, 33, 34, 35, 36, 38: return 2
        case 22, 24: return 4
        case 0, 1, 2, 3, 4, 9, 12, 13, 15, 16, 17, 29, 31, 32, 37, 39, 40, 45, 47, 48, 50, 51, 52, 56: return 1
        default: return 0
        }
    }

    /// Data entry MSB with an NRPN selected: SF2 2.04 9.6 generator offsets (NRPN MSB 120, as
    /// fluid_synth_cc_LOCAL) and the GS NRPNs (MSB 1: vibrato, filter, envelope; MSB 0x18/0x1A/0x1C:
    /// drum key pitch, level, pan).
    @_noLocks
    mutating func nonRegisteredDataEntry(channel: Int, value: Int) {
        let base = controllers + channel * 128
        let msb = Int(base[99]), lsb = Int(base[98])
        let offsets = generatorOffsets + channel * 61
        if msb == 120 {
            guard lsb < 100 else { return }
            let generator = channels[channel].nrpnSelect
            channels[channel].nrpnSelect = 0
            guard generator < 61 else { return }
            let scale = Self.nrpnScale(generator)
            guard scale != 0 else { return }
            var data = (value << 7 | Int(base[38])) - 8192
            data = data < -8192 ? -8192 : (data > 8192 ? 8192 : data)
            offsets[generator] = Float(data) * scale
            refreshVoices(channel: channel)
            return
        }
        if case .gm = bankStyle { return }
        let relative = Float(value - 64) / 64  // GS: 64 is no change, -1 ... +0.98
        switch (msb, lsb) {
        case (1, 0x08): offsets[24 /* freqVibLFO */] = relative * 2400
        case (1, 0x09): offsets[6 /* vibLfoToPitch */] = relative * 100
        case (1, 0x0A): offsets[23 /* delayVibLFO */] = relative * 4800
        case (1, 0x20): offsets[8 /* initialFilterFc */] = relative * 4800
        case (1, 0x21): offsets[9 /* initialFilterQ */] = relative * 150
        case (1, 0x63): offsets[34 /* attackVolEnv */] = relative * 4800
        case (1, 0x64): offsets[36 /* decayVolEnv */] = relative * 4800
        case (1, 0x66): offsets[38 /* releaseVolEnv */] = relative * 4800
        case (0x18, _): drumPitch[channel * 128 + lsb] = UInt8(value)
        case (0x1A, _): drumLevel[channel * 128 + lsb] = UInt8(value)
        case (0x1C, _): drumPan[channel * 128 + lsb] = UInt8(value)
        default: return
        }
        refreshVoices(channel: channel)
    }
}
