/// The native SoundFont 2 synthesizer: 16 MIDI channels driving a fixed pool of voices.
///
/// Everything is allocated in `init`; `send` and `render` never allocate, lock or call C, so
/// both may run on the audio thread (the compiler checks this through `@_noLocks`). Voices
/// update their parameters every `subBlockSize` frames and ramp their gains across each
/// sub-block; events given to `render(left:right:frameCount:events:)` take effect at their
/// exact frame.
public struct Synthesizer: ~Copyable, SoundEngine {
    public let settings: SynthesizerSettings
    /// Frames between parameter updates (envelopes, LFOs, pitch, filter coefficients).
    public static var subBlockSize: Int { 64 }  // voiceScratch holds one
    public static var channelCount: Int { 16 }
    /// Keys a mono channel remembers for legato (FluidSynth's FLUID_CHANNEL_SIZE_MONOLIST).
    static var monoListSize: Int { 10 }

    /// Keeps the sample memory alive; never touched while rendering.
    let soundFont: SoundFont
    let sampleData: UnsafePointer<Int16>
    /// The sm24 low bytes, when the font has them for every point (24-bit samples).
    let sampleData24: UnsafePointer<UInt8>?
    let sampleDataCount: Int
    /// Zero points used when the SoundFont has no sample data at all.
    let silence: UnsafeMutablePointer<Int16>
    let regions: RegionTable
    var pool: VoicePool
    let channels: UnsafeMutablePointer<ChannelState>
    /// 16 × 128 controller values.
    let controllers: UnsafeMutablePointer<UInt8>
    /// 16 × 128 polyphonic key pressure values.
    let keyPressure: UnsafeMutablePointer<UInt8>
    /// Summed modulator outputs per generator for the voice being (re)computed.
    let modulationScratch: UnsafeMutablePointer<Float>
    /// Four sub-blocks (a group of voices) of samples between interpolation, filter and mix.
    let voiceScratch: UnsafeMutablePointer<Float>
    /// The active voice slots as they were at the start of the sub-block being rendered.
    let slotSnapshot: UnsafeMutablePointer<Int32>
    /// Per-frame lane sums of the four-voice groups (`LowPassFilter.processQuadAndMix`), 64 frames
    /// per channel, added to the output and cleared at the end of each sub-block.
    let laneLeft: UnsafeMutablePointer<SIMD4<Float>>
    let laneRight: UnsafeMutablePointer<SIMD4<Float>>
    /// The open bus: voices whose filter is open mix here (left in 0..<64, right in 64..<128), and
    /// `openLeft`/`openRight` filter the sum once per sub-block (`LowPassFilter.openBus`).
    let openBus: UnsafeMutablePointer<Float>
    var openLeft: LowPassFilter
    var openRight: LowPassFilter
    /// The up to four voices prepared and waiting to be filtered and mixed together.
    let groupSlots: UnsafeMutablePointer<Int>
    let groupProduced: UnsafeMutablePointer<Int>
    /// The voices' effect sends for the sub-block being rendered (cleared after the effects ran).
    let sends: SendBuses
    /// Some voice wrote to `sends` in this sub-block.
    var sendsFed = false
    /// A four-voice group wrote to the send lanes in this sub-block.
    var lanesFed = false
    /// Run on the send buses once per sub-block and added to the output, when enabled.
    var reverb: Reverb
    var chorus: Chorus
    let reverbEnabled: Bool
    let chorusEnabled: Bool
    /// Either effect is on: voices feed the send buses.
    let effectsEnabled: Bool
    let outputRate: Double
    /// `SampleInterpolation.noneMethod` ... `sincMethod`, from `settings.interpolation`.
    let interpolationMethod: Int
    /// `SynthesizerSettings.PitchArithmetic`: what pitch wheel sensitivity is divided by (127 or
    /// 128), and whether voices truncate their pitch to whole cents.
    let pitchWheelSensitivityRange: Float
    let wholeCentPitch: Bool
    /// Integer Catmull-Rom weights by fraction (`SampleInterpolation.makeCubicTable`).
    let cubicTable: UnsafeMutablePointer<SIMD4<Int16>>
    /// Windowed-sinc weights by fraction (`SampleInterpolation.makeSincTable`).
    let sincTable: UnsafeMutablePointer<Float>
    /// Frames rendered so far; voices remember the frame they started at.
    var frameClock: UInt64 = 0
    /// `SynthesizerSettings.minimumNoteMilliseconds` in frames.
    let minimumNoteFrames: UInt64
    /// Counts note-ons; voices of one note-on share the number.
    var noteSerial: UInt64 = 0

    // MARK: Controller state beyond ChannelState (all preallocated)
    /// How CC0/CC32 choose banks now (settings.bankSelect until a GM/GS/XG reset sysex).
    var bankStyle: BankSelectStyle
    /// Master volume (universal real-time sysex 04 01) as an amplitude factor.
    var masterGain: Float = 1
    /// The sysex message being received (`MidiMessage.sysex` chunks), bytes between F0 and F7.
    let sysexBuffer: UnsafeMutablePointer<UInt8>
    static var sysexCapacity: Int { 512 }
    var sysexLength = 0
    /// Inside a message (after F0, before F7) and not overflowed.
    var sysexReceiving = false
    /// MIDI Tuning Standard tunings: `tuningSlots` tables of 128 pitches in cents, each named by
    /// bank << 7 | program in `tuningIDs` (-1 for a free slot).
    let tunings: UnsafeMutablePointer<Double>
    let tuningIDs: UnsafeMutablePointer<Int32>
    static var tuningSlots: Int { 32 }
    /// Per channel, `Self.monoListSize` (key, velocity) pairs, oldest first.
    let monoList: UnsafeMutablePointer<UInt8>
    /// Per channel, an offset per generator from NRPNs (SF2 section 9.6 and GS), added like a
    /// modulator's output.
    let generatorOffsets: UnsafeMutablePointer<Float>
    /// Per channel and key, GS drum NRPN values: pitch (64 = none), level (127 = none), pan (64 = none, 0 random).
    let drumPitch: UnsafeMutablePointer<UInt8>
    let drumLevel: UnsafeMutablePointer<UInt8>
    let drumPan: UnsafeMutablePointer<UInt8>
    /// Regions a legato note-on continues with voices already sounding (multi-retrigger).
    let legatoRegions: UnsafeMutablePointer<Int>
    var legatoRegionCount = 0
    /// The key the next voices glide from (FluidSynth's `fromkey_portamento`), -1 for none.
    var portamentoFromKey = -1

    public var sampleRate: Int { settings.sampleRate }
    public var activeVoiceCount: Int { pool.activeCount }
    public var hasEffects: Bool { effectsEnabled }
    /// Whether the reverb or chorus may still be sounding after the last voice ended.
    public var isEffectTailSounding: Bool { (reverbEnabled && !reverb.isIdle) || (chorusEnabled && !chorus.isIdle) }

    public init(soundFont: SoundFont, settings: SynthesizerSettings = .init()) throws(SynthesizerError) {
        guard (8000...384_000).contains(settings.sampleRate) else { throw .invalidSampleRate(settings.sampleRate) }
        guard (1...4096).contains(settings.polyphony) else { throw .invalidPolyphony(settings.polyphony) }
        guard !soundFont.presets.isEmpty else { throw .noPresets }
        guard !soundFont.hasCompressedSamples else { throw .compressedSamples }
        let table = try RegionTable(soundFont: soundFont,
                                    defaultModulators: CompiledModulator.defaults(velocityToFilter: settings.velocityToFilterModulator),
                                    silenceVelocityToFilter: !settings.velocityToFilterModulator)
        self.settings = settings
        self.soundFont = soundFont
        regions = table
        silence = .allocate(capacity: 64)
        silence.initialize(repeating: 0, count: 64)
        if let base = soundFont.sampleData.baseAddress, soundFont.sampleData.count > 0 {
            sampleData = base
            sampleDataCount = soundFont.sampleData.count
        } else {
            sampleData = UnsafePointer(silence)
            sampleDataCount = 0
        }
        if let low = soundFont.sampleData24, low.count >= sampleDataCount, sampleDataCount > 0 {
            sampleData24 = low.baseAddress
        } else {
            sampleData24 = nil
        }
        pool = VoicePool(capacity: settings.polyphony)
        channels = .allocate(capacity: Self.channelCount)
        controllers = .allocate(capacity: Self.channelCount * 128)
        keyPressure = .allocate(capacity: Self.channelCount * 128)
        modulationScratch = .allocate(capacity: GeneratorType.count)
        modulationScratch.initialize(repeating: 0, count: GeneratorType.count)
        voiceScratch = .allocate(capacity: 256)
        voiceScratch.initialize(repeating: 0, count: 256)
        slotSnapshot = .allocate(capacity: settings.polyphony)
        slotSnapshot.initialize(repeating: 0, count: settings.polyphony)
        laneLeft = .allocate(capacity: 64)
        laneLeft.initialize(repeating: SIMD4<Float>(), count: 64)
        laneRight = .allocate(capacity: 64)
        laneRight.initialize(repeating: SIMD4<Float>(), count: 64)
        openBus = .allocate(capacity: 128)
        openBus.initialize(repeating: 0, count: 128)
        openLeft = LowPassFilter.openBus(sampleRate: Double(settings.sampleRate))
        openRight = openLeft
        groupSlots = .allocate(capacity: 4)
        groupSlots.initialize(repeating: 0, count: 4)
        groupProduced = .allocate(capacity: 4)
        groupProduced.initialize(repeating: 0, count: 4)
        let reverbBus = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        reverbBus.initialize(repeating: 0, count: 64)
        let chorusBus = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        chorusBus.initialize(repeating: 0, count: 64)
        let laneReverb = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 64)
        laneReverb.initialize(repeating: SIMD4<Float>(), count: 64)
        let laneChorus = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 64)
        laneChorus.initialize(repeating: SIMD4<Float>(), count: 64)
        let quadFiltered = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 64)
        quadFiltered.initialize(repeating: SIMD4<Float>(), count: 64)
        sends = SendBuses(reverb: reverbBus, chorus: chorusBus, laneReverb: laneReverb, laneChorus: laneChorus,
                          quadFiltered: quadFiltered)
        reverb = Reverb(settings: settings.reverb, sampleRate: settings.sampleRate)
        chorus = Chorus(settings: settings.chorus, sampleRate: settings.sampleRate)
        reverbEnabled = settings.reverb.isEnabled
        chorusEnabled = settings.chorus.isEnabled
        effectsEnabled = reverbEnabled || chorusEnabled
        outputRate = Double(settings.sampleRate)
        minimumNoteFrames = UInt64(max(settings.minimumNoteMilliseconds, 0) * Double(settings.sampleRate) / 1000)
        interpolationMethod = SampleInterpolation.method(settings.interpolation)
        pitchWheelSensitivityRange = settings.pitchArithmetic == .fluidSynth ? 128 : 127
        wholeCentPitch = settings.pitchArithmetic == .fluidSynth
        cubicTable = SampleInterpolation.makeCubicTable()
        // The sinc table (thousands of Kaiser-windowed rows) is built only for sinc voices; the other
        // methods never read it, and get one row of zeros.
        if interpolationMethod == Voice.sincMethod {
            sincTable = SampleInterpolation.makeSincTable()
        } else {
            sincTable = .allocate(capacity: SampleInterpolation.sincTaps)
            sincTable.initialize(repeating: 0, count: SampleInterpolation.sincTaps)
        }
        bankStyle = settings.bankSelect
        sysexBuffer = .allocate(capacity: Self.sysexCapacity)
        sysexBuffer.initialize(repeating: 0, count: Self.sysexCapacity)
        tunings = .allocate(capacity: Self.tuningSlots * 128)
        tunings.initialize(repeating: 0, count: Self.tuningSlots * 128)
        tuningIDs = .allocate(capacity: Self.tuningSlots)
        tuningIDs.initialize(repeating: -1, count: Self.tuningSlots)
        monoList = .allocate(capacity: Self.channelCount * Self.monoListSize * 2)
        monoList.initialize(repeating: 0, count: Self.channelCount * Self.monoListSize * 2)
        generatorOffsets = .allocate(capacity: Self.channelCount * GeneratorType.count)
        generatorOffsets.initialize(repeating: 0, count: Self.channelCount * GeneratorType.count)
        drumPitch = .allocate(capacity: Self.channelCount * 128)
        drumPitch.initialize(repeating: 64, count: Self.channelCount * 128)
        drumLevel = .allocate(capacity: Self.channelCount * 128)
        drumLevel.initialize(repeating: 127, count: Self.channelCount * 128)
        drumPan = .allocate(capacity: Self.channelCount * 128)
        drumPan.initialize(repeating: 64, count: Self.channelCount * 128)
        legatoRegions = .allocate(capacity: 64)
        legatoRegions.initialize(repeating: 0, count: 64)
        for channel in 0..<Self.channelCount {
            (channels + channel).initialize(to: ChannelState(channel: channel))
        }
        controllers.initialize(repeating: 0, count: Self.channelCount * 128)
        keyPressure.initialize(repeating: 0, count: Self.channelCount * 128)
        resetAllChannels()
    }

    deinit {
        silence.deallocate()
        channels.deinitialize(count: Self.channelCount)
        channels.deallocate()
        controllers.deallocate()
        keyPressure.deallocate()
        modulationScratch.deallocate()
        voiceScratch.deallocate()
        slotSnapshot.deallocate()
        laneLeft.deallocate()
        laneRight.deallocate()
        openBus.deallocate()
        groupSlots.deallocate()
        groupProduced.deallocate()
        sends.reverb.deallocate()
        sends.chorus.deallocate()
        sends.laneReverb.deallocate()
        sends.laneChorus.deallocate()
        sends.quadFiltered.deallocate()
        cubicTable.deallocate()
        sincTable.deallocate()
        sysexBuffer.deallocate()
        tunings.deallocate()
        tuningIDs.deallocate()
        monoList.deallocate()
        generatorOffsets.deallocate()
        drumPitch.deallocate()
        drumLevel.deallocate()
        drumPan.deallocate()
        legatoRegions.deallocate()
    }

    // MARK: Rendering

    /// Renders `frameCount` frames, overwriting `left` and `right`.
    @_noLocks
    public mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        renderFrames(left: left, right: right, frameCount: frameCount)
    }

    /// Renders one block and applies each event at its own frame: the block is split at every
    /// event frame. `events` must be sorted by frame; frames past the end apply at the end.
    @_noLocks
    public mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int,
                                events: UnsafeBufferPointer<TimedMidiMessage>) {
        var position = 0
        for event in events {
            var frame = Int(event.frame)
            frame = frame < position ? position : (frame > frameCount ? frameCount : frame)
            if frame > position {
                renderFrames(left: left + position, right: right + position, frameCount: frame - position)
                position = frame
            }
            send(event.message)
        }
        if position < frameCount {
            renderFrames(left: left + position, right: right + position, frameCount: frameCount - position)
        }
    }

    /// Mixes every active voice into the buffers, sub-block by sub-block.
    @_noLocks
    @inline(__always)
    mutating func renderFrames(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        guard frameCount > 0 else { return }
        frameClock &+= UInt64(frameCount)
        left.update(repeating: 0, count: frameCount)
        right.update(repeating: 0, count: frameCount)
        let voices = pool.voices
        var offset = 0
        while offset < frameCount {
            let count = min(Self.subBlockSize, frameCount - offset)
            let outLeft = left + offset, outRight = right + offset
            let activeCount = pool.activeCount
            let busLeft = openBus, busRight = openBus + 64
            busLeft.update(repeating: 0, count: count)
            busRight.update(repeating: 0, count: count)
            var openFed = false
            if activeCount > 0 {
                // Freeing reorders the active list, so walk a copy taken before this sub-block.
                let slots = pool.activeSlots
                for k in 0..<activeCount { slotSnapshot[k] = slots[k] }
                // Voices go in groups of four so their filters run side by side; voices whose
                // filter is open mix straight into the open bus.
                var filled = 0
                for k in 0..<activeCount {
                    let i = Int(slotSnapshot[k])
                    let scratch = voiceScratch + 64 * filled
                    let produced = voices[i].prepare(
                        count: count, scratch: scratch, data: sampleData, lowBytes: sampleData24,
                        cubicTable: cubicTable, sincTable: sincTable, outputRate: outputRate, method: interpolationMethod)
                    if voices[i].filter.isBypassed {
                        // Open filter: mixed at once, not grouped.
                        openFed = true
                        let alive: Bool
                        if effectsEnabled && voices[i].hasSends() {
                            sendsFed = true
                            alive = voices[i].mixBypassedWithSends(count: count, produced: produced, scratch: scratch,
                                                                   left: busLeft, right: busRight, sends: sends)
                        } else {
                            alive = voices[i].mixBypassed(count: count, produced: produced, scratch: scratch, left: busLeft,
                                                          right: busRight)
                        }
                        if !alive { pool.free(i) }
                        continue
                    }
                    groupProduced[filled] = produced
                    groupSlots[filled] = i
                    filled += 1
                    if filled == 4 {
                        flushGroup(filled, count: count, left: outLeft, right: outRight)
                        filled = 0
                    }
                }
                if filled > 0 { flushGroup(filled, count: count, left: outLeft, right: outRight) }
                if activeCount >= 4 { sumLanes(count: count, left: outLeft, right: outRight) }
            }
            // The open voices' filter, once for their sum, and its tail once they have stopped.
            if openFed || openLeft.isRinging() || openRight.isRinging() {
                LowPassFilter.mixOpenBus(&openLeft, &openRight, busLeft: busLeft, busRight: busRight, count: count,
                                         outLeft: outLeft, outRight: outRight)
            } else {
                openLeft.history1 = 0; openLeft.history2 = 0
                openRight.history1 = 0; openRight.history2 = 0
            }
            if effectsEnabled { runEffects(count: count, left: outLeft, right: outRight) }
            offset += count
        }
        if masterGain != 1 {
            let gain = masterGain
            for i in 0..<frameCount {
                left[i] *= gain
                right[i] *= gain
            }
        }
    }

    /// Filters and mixes the `size` voices prepared into `groupSlots`/`voiceScratch`: four at
    /// once when all four have full sub-blocks, otherwise in pairs and singly.
    @_noLocks
    @inline(__always)
    mutating func flushGroup(_ size: Int, count: Int, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        let voices = pool.voices
        let slots = groupSlots, produced = groupProduced
        if size == 4 && produced[0] == count && produced[1] == count && produced[2] == count && produced[3] == count {
            if effectsEnabled && (voices[slots[0]].hasSends() || voices[slots[1]].hasSends()
                                  || voices[slots[2]].hasSends() || voices[slots[3]].hasSends()) {
                sendsFed = true
                lanesFed = true
                LowPassFilter.processQuadAndMixWithSends(voices, slots, voiceScratch, count: count, laneLeft: laneLeft,
                                                         laneRight: laneRight, sends: sends)
            } else {
                LowPassFilter.processQuadAndMix(voices, slots, voiceScratch, count: count, laneLeft: laneLeft, laneRight: laneRight)
            }
            for k in 0..<4 where !voices[slots[k]].finishMix(count: count, produced: count) {
                pool.free(slots[k])
            }
            return
        }
        var k = 0
        while k < size {
            let a = slots[k]
            if k + 1 < size && produced[k] == produced[k + 1] {
                let b = slots[k + 1]
                if effectsEnabled && (voices[a].hasSends() || voices[b].hasSends()) {
                    sendsFed = true
                    let xa = voiceScratch + 64 * k, xb = voiceScratch + 64 * (k + 1)
                    LowPassFilter.processPairAndMixWithSends(
                        &voices[a].filter, xa, &voices[b].filter, xb, count: produced[k], span: count,
                        rampA: voices[a].gainRamp(count: count), rampB: voices[b].gainRamp(count: count),
                        left: left, right: right)
                    voices[a].mixSends(count: count, produced: produced[k], filtered: xa, sends: sends)
                    voices[b].mixSends(count: count, produced: produced[k], filtered: xb, sends: sends)
                } else {
                    LowPassFilter.processPairAndMix(
                        &voices[a].filter, voiceScratch + 64 * k, &voices[b].filter, voiceScratch + 64 * (k + 1),
                        count: produced[k], span: count,
                        rampA: voices[a].gainRamp(count: count), rampB: voices[b].gainRamp(count: count),
                        left: left, right: right)
                }
                let aliveA = voices[a].finishMix(count: count, produced: produced[k])
                let aliveB = voices[b].finishMix(count: count, produced: produced[k])
                if !aliveA { pool.free(a) }
                if !aliveB { pool.free(b) }
                k += 2
            } else {
                voices[a].filter.process(voiceScratch + 64 * k, count: produced[k], span: count)
                let alive: Bool
                if effectsEnabled && voices[a].hasSends() {
                    sendsFed = true
                    alive = voices[a].mix(count: count, produced: produced[k], scratch: voiceScratch + 64 * k, left: left,
                                          right: right, sends: sends, withSends: true)
                } else {
                    alive = voices[a].mix(count: count, produced: produced[k], scratch: voiceScratch + 64 * k, left: left,
                                          right: right, sends: sends, withSends: false)
                }
                if !alive { pool.free(a) }
                k += 1
            }
        }
    }

    /// Adds the lane sums of the four-voice groups to the output (and the send lanes to the send
    /// buses) and clears them.
    @_noLocks
    @inline(__always)
    mutating func sumLanes(count: Int, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        var i = 0
        while i < count {
            let l = laneLeft[i], r = laneRight[i]
            left[i] += (l[0] + l[1]) + (l[2] + l[3])
            right[i] += (r[0] + r[1]) + (r[2] + r[3])
            laneLeft[i] = SIMD4<Float>()
            laneRight[i] = SIMD4<Float>()
            i += 1
        }
        guard lanesFed else { return }
        lanesFed = false
        let laneReverb = sends.laneReverb, laneChorus = sends.laneChorus
        let reverbBus = sends.reverb, chorusBus = sends.chorus
        i = 0
        while i < count {
            let e = laneReverb[i], c = laneChorus[i]
            reverbBus[i] += (e[0] + e[1]) + (e[2] + e[3])
            chorusBus[i] += (c[0] + c[1]) + (c[2] + c[3])
            laneReverb[i] = SIMD4<Float>()
            laneChorus[i] = SIMD4<Float>()
            i += 1
        }
    }

    /// Runs the reverb and chorus on this sub-block's send buses, adding them to the output, and
    /// clears the buses. An idle effect with nothing sent is skipped.
    @_noLocks
    @inline(__always)
    mutating func runEffects(count: Int, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) {
        if reverbEnabled && (sendsFed || !reverb.isIdle) {
            reverb.process(sends.reverb, count: count, left: left, right: right)
        }
        if chorusEnabled && (sendsFed || !chorus.isIdle) {
            chorus.process(sends.chorus, count: count, left: left, right: right)
        }
        if sendsFed {
            sends.reverb.update(repeating: 0, count: count)
            sends.chorus.update(repeating: 0, count: count)
            sendsFed = false
        }
    }

    // MARK: Voice setup

    /// Sums the region's modulators for `voice` into `modulationScratch`.
    @_noLocks
    @inline(__always)
    func computeModulation(for voice: UnsafeMutablePointer<Voice>) {
        let scratch = modulationScratch
        scratch.update(repeating: 0, count: 61)  // GeneratorType.count
        let region = regions.regions[voice.pointee.regionIndex]
        let channel = voice.pointee.channel
        let state = channels[channel]
        let context = ModulationContext(
            controllers: UnsafePointer(controllers + channel * 128),
            keyPressure: UnsafePointer(keyPressure + channel * 128),
            pitchBend: state.pitchBend, channelPressure: state.channelPressure,
            pitchWheelSensitivity: state.pitchWheelSensitivity(), pitchWheelSensitivityRange: pitchWheelSensitivityRange,
            key: voice.pointee.key, velocity: voice.pointee.velocity, noteKey: voice.pointee.noteKey)
        var k = 0
        while k < region.modulatorCount {
            let modulator = regions.modulators[region.modulatorOffset + k]
            scratch[modulator.destination] += modulator.value(context)
            k += 1
        }
        // NRPN offsets (SF2 9.6, GS) act like modulator outputs.
        let offsets = generatorOffsets + channel * 61
        for g in 0..<61 { scratch[g] += offsets[g] }
        if state.isPercussion {
            let slot = channel * 128 + (voice.pointee.noteKey & 127)
            scratch[51 /* coarseTune */] += Float(Int(drumPitch[slot]) - 64)
            let level = drumLevel[slot]
            if level < 127 {
                scratch[48 /* initialAttenuation */] += level == 0 ? 1440 : Float(200 * FastMath.log2(127 / Double(level)) * 0.30102999566398)
            }
            let pan = drumPan[slot]
            if pan != 64 && pan != 0 { scratch[17 /* pan */] += Float(Int(pan) - 64) * (500 / 64) }
        }
    }

    /// Re-evaluates the modulators of every voice on `channel` after a controller change.
    @_noLocks
    @inline(__always)
    func refreshVoices(channel: Int) {
        let voices = pool.voices
        for i in 0..<pool.capacity where voices[i].isActive && voices[i].channel == channel {
            let voice = voices + i
            computeModulation(for: voice)
            let region = regions.regions[voice.pointee.regionIndex]
            voice.pointee.applyModulation(generators: UnsafePointer(regions.generators + region.generatorOffset),
                                          modulation: UnsafePointer(modulationScratch), channelState: channels[channel])
        }
    }

    /// A description of each sounding voice, for tests and diagnostics (allocates).
    public var voiceSnapshots: [VoiceSnapshot] {
        var result: [VoiceSnapshot] = []
        for i in 0..<pool.capacity where pool.voices[i].isActive {
            let v = pool.voices[i]
            result.append(VoiceSnapshot(
                channel: v.channel, key: v.noteKey, velocity: v.velocity, isReleased: v.isReleased,
                isSustained: v.isSustained || (v.noteOffReceived && v.isSostenutoHeld && !v.isReleased),
                exclusiveClass: v.exclusiveClass, noteID: v.noteID, noteOffReceived: v.noteOffReceived))
        }
        return result
    }
}
