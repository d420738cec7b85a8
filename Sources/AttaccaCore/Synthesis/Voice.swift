/// The render-side state of one sounding region (FluidSynth's rvoice): sample position, pitch,
/// envelopes, LFOs, filter and gains. Plain data kept in the `VoicePool`'s preallocated storage;
/// parameters change per sub-block, the per-sample loop only interpolates, filters, ramps the
/// gain and mixes.
struct Voice {
    // MARK: Identity and note state
    var isActive = false
    var channel = 0
    /// The MIDI key of the note-on (note-off matches this).
    var noteKey = 0
    /// Key and velocity the modulators see (the keynum/velocity generators may override them).
    var key = 0
    var velocity = 0
    var regionIndex = 0
    /// Serial number of the note-on that started the voice; voices of one note-on share it.
    var noteID: UInt64 = 0
    /// The output frame at which the voice started (stealing counts its age from it).
    var startFrame: UInt64 = 0
    var exclusiveClass = 0
    /// The volume envelope is in (or past) its release.
    var isReleased = false
    /// A note-off arrived while the sustain pedal was down.
    var isSustained = false
    /// The sostenuto pedal went down while this voice was held.
    var isSostenutoHeld = false
    /// A note-off arrived (the voice may still sound through a pedal).
    var noteOffReceived = false
    /// Fade to silence over the next sub-block, then free (all sound off, exclusive class).
    var isKilled = false
    /// Frames left before a note-off that came too soon releases the voice (the minimum note
    /// length, `SynthesizerSettings.minimumNoteMilliseconds`); -1 when none is waiting.
    var deferredReleaseFrames = -1

    // MARK: Sample
    var start = 0
    var end = 0
    var loopStart = 0
    var loopEnd = 0
    /// 0 no loop, 1 continuous loop, 3 loop until release.
    var loopMode = 0
    /// Playback position in sample points, 32.32 fixed point.
    var phase: UInt64 = 0
    /// An unlooped sample played past its end.
    var sampleEnded = false
    /// sample rate / output rate.
    var rateRatio: Double = 1
    /// Pitch the sample plays at without transposition, in cents (root key × 100 - correction).
    var rootCents: Double = 6000
    /// Pitches are truncated to whole cents before they become a rate, as FluidSynth's
    /// (`SynthesizerSettings.PitchArithmetic.fluidSynth`).
    var wholeCentPitch = false

    /// The key's pitch and the root key's pitch in a MIDI Tuning Standard table (cents), or
    /// `tunedKey` < 0 for equal temperament. Set at note-on (and by real-time tuning changes).
    var tunedKey: Double = -1
    var tunedRoot: Double = 0
    /// Portamento: cents added to the pitch, moved by `portamentoStep` per sub-block towards 0
    /// (FluidSynth's dsp.pitchoffset and pitchinc, updated per 64-frame block).
    var portamentoOffset: Double = 0
    var portamentoStep: Double = 0
    /// The instrument zone's scale tuning (generator 56), kept for portamento's start pitch.
    var scaleTuning: Double = 100

    // MARK: Modulated parameters (recomputed when the channel's controllers change)
    var pitchCents: Double = 6000
    var attenuation: Float = 0
    /// `attenuation` as a gain factor.
    var attenuationGain: Double = 1

    // Per-sub-block results kept while their inputs do not change (sustained notes).
    var cachedEnvelopeValue: Float = -1
    var cachedLfoCentibels: Float = 0
    var cachedIsAttack = false
    var cachedEnvelopeGain: Double = 0
    var cachedPitch: Double = -1e9
    var cachedIncrement: Double = 1
    var panLeft: Float = 0.70655
    var panRight: Float = 0.70655
    var filterCutoffCents: Double = 13500
    var modLfoToPitch: Float = 0
    var vibLfoToPitch: Float = 0
    var modEnvToPitch: Float = 0
    var modLfoToFilter: Float = 0
    var modEnvToFilter: Float = 0
    var modLfoToVolume: Float = 0
    var reverbSend: Float = 0
    var chorusSend: Float = 0
    /// The sends as fractions of the voice's level (0...1), as FluidSynth's `reverb_send`.
    var reverbFraction: Float = 0
    var chorusFraction: Float = 0

    // MARK: Time-varying state
    var modLfo = LowFrequencyOscillator()
    var vibLfo = LowFrequencyOscillator()
    var volumeEnvelope = Envelope()
    var modulationEnvelope = Envelope()
    var filter = LowPassFilter()
    var gainLeft: Float = 0
    var gainRight: Float = 0
    /// Output gain / 32768 (16-bit points to ±1 at full scale), / 8388608 for 24-bit points.
    var amplitudeScale: Float = 1.0 / 32768
    /// Envelope × attenuation gain at the end of the last sub-block.
    var amplitude: Float = 0
    /// Gains and end state `prepare` computed for `mix`.
    var pendingLeft: Float = 0
    var pendingRight: Float = 0
    /// Mono gains into the reverb and chorus send buses, ramped like the dry gains.
    var reverbGain: Float = 0
    var chorusGain: Float = 0
    var pendingReverb: Float = 0
    var pendingChorus: Float = 0
    var pendingFinished = false

    /// Whether the sample is looping now.
    @inline(__always)
    var isLooping: Bool { loopMode == 1 || (loopMode == 3 && !isReleased) }

    /// Sets up everything fixed at note-on; `generators` are the region's values, `modulation`
    /// the summed modulator outputs per generator.
    @_noLocks
    @inline(__always)
    mutating func begin(generators g: UnsafePointer<Float>, modulation m: UnsafePointer<Float>,
                        sample: SampleInfo, sampleDataCount: Int, has24BitSamples: Bool, channelState: ChannelState,
                        outputRate: Double, outputGain: Float, wholeCentPitch: Bool) {
        @inline(__always) func value(_ index: Int) -> Float {
            g[index] + m[index]
        }
        /// A generator plus modulation as an Int, saturated first: no value can trap the conversion.
        @inline(__always) func whole(_ index: Int) -> Int {
            let x = value(index)
            return x.isNaN ? 0 : Int(x < -1e9 ? -1e9 : (x > 1e9 ? 1e9 : x))
        }
        @inline(__always) func offset(_ fine: Int, _ coarse: Int) -> Int {
            whole(fine) + 32768 * whole(coarse)
        }
        func clamp(_ x: Int, _ low: Int, _ high: Int) -> Int { x < low ? low : (x > high ? high : x) }

        isReleased = false
        isSustained = false
        isSostenutoHeld = false
        noteOffReceived = false
        isKilled = false
        deferredReleaseFrames = -1

        // As FluidSynth's fluid_rvoice_check_sample_sanity: every point kept inside the sample,
        // start/end and loop start/end put back in order, a loop shorter than 2 points not looped
        // (and, here, the loop inside the played range), so 0 <= start <= loopStart <= loopEnd
        // <= end <= sampleDataCount whatever the generators and modulators say.
        let sampleLow = clamp(sample.start, 0, sampleDataCount)
        let sampleHigh = clamp(sample.end, sampleLow, sampleDataCount)
        start = clamp(sample.start + offset(0, 4), sampleLow, sampleHigh)
        end = clamp(sample.end + offset(1, 12), sampleLow, sampleHigh)
        if start > end { swap(&start, &end) }
        loopStart = clamp(sample.loopStart + offset(2, 45), start, end)
        loopEnd = clamp(sample.loopEnd + offset(3, 50), start, end)
        if loopStart > loopEnd { swap(&loopStart, &loopEnd) }
        loopMode = Int(g[54 /* sampleModes */]) & 3
        if loopMode == 2 || loopEnd - loopStart < 2 { loopMode = 0 }
        phase = UInt64(start) << 32
        sampleEnded = false
        rateRatio = Double(sample.sampleRate > 0 ? sample.sampleRate : 44100) / outputRate

        let overridingRoot = Int(g[58 /* overridingRootKey */])
        let rootKey = overridingRoot >= 0 ? overridingRoot : (sample.originalPitch <= 127 ? sample.originalPitch : 60)
        rootCents = Double(rootKey * 100 - sample.pitchCorrection)
        self.wholeCentPitch = wholeCentPitch
        exclusiveClass = Int(g[57 /* exclusiveClass */])
        amplitudeScale = outputGain / (has24BitSamples ? 8388608 : 32768)

        // Envelopes and LFOs (their times are not re-modulated after note-on).
        let rate = outputRate
        func samples(_ timecents: Float, _ low: Float, _ high: Float, instantAtMinimum: Bool) -> Int {
            let tc = timecents < low ? low : (timecents > high ? high : timecents)
            if instantAtMinimum && tc <= -12000 { return 0 }
            return Int(FastMath.timecentsToSeconds(Double(tc)) * rate + 0.5)
        }
        let keyOffset = Float(60 - key)
        volumeEnvelope.start(
            delay: samples(value(33 /* delayVolEnv */), -12000, 5000, instantAtMinimum: true),
            attack: samples(value(34 /* attackVolEnv */), -12000, 8000, instantAtMinimum: false),
            hold: samples(value(35 /* holdVolEnv */) + value(39 /* keynumToVolEnvHold */) * keyOffset, -12000, 5000, instantAtMinimum: true),
            decay: samples(value(36 /* decayVolEnv */) + value(40 /* keynumToVolEnvDecay */) * keyOffset, -12000, 8000, instantAtMinimum: false),
            sustainLevel: 1 - 0.001 * value(37 /* sustainVolEnv */),
            release: samples(value(38 /* releaseVolEnv */), -12000, 8000, instantAtMinimum: false))
        modulationEnvelope.start(
            delay: samples(value(25 /* delayModEnv */), -12000, 5000, instantAtMinimum: true),
            attack: samples(value(26 /* attackModEnv */), -12000, 8000, instantAtMinimum: false),
            hold: samples(value(27 /* holdModEnv */) + value(31 /* keynumToModEnvHold */) * keyOffset, -12000, 5000, instantAtMinimum: true),
            decay: samples(value(28 /* decayModEnv */) + value(32 /* keynumToModEnvDecay */) * keyOffset, -12000, 8000, instantAtMinimum: false),
            sustainLevel: 1 - 0.001 * value(29 /* sustainModEnv */),
            release: samples(value(30 /* releaseModEnv */), -12000, 8000, instantAtMinimum: false))
        func lfoFrequency(_ cents: Float) -> Double {
            FastMath.centsToHertz(Double(cents < -16000 ? -16000 : (cents > 4500 ? 4500 : cents)))
        }
        modLfo.start(delay: samples(value(21 /* delayModLFO */), -12000, 5000, instantAtMinimum: false),
                     frequency: lfoFrequency(value(22 /* freqModLFO */)), sampleRate: rate)
        vibLfo.start(delay: samples(value(23 /* delayVibLFO */), -12000, 5000, instantAtMinimum: false),
                     frequency: lfoFrequency(value(24 /* freqVibLFO */)), sampleRate: rate)
        filter.start(qCentibels: value(9 /* initialFilterQ */))
        gainLeft = 0
        gainRight = 0
        reverbGain = 0
        chorusGain = 0
        amplitude = 0
        cachedEnvelopeValue = -1
        cachedPitch = -1e9
        portamentoOffset = 0
        portamentoStep = 0

        applyModulation(generators: g, modulation: m, channelState: channelState)
    }

    /// Recomputes the parameters controllers can change while the voice sounds.
    @_noLocks
    @inline(__always)
    mutating func applyModulation(generators g: UnsafePointer<Float>, modulation m: UnsafePointer<Float>,
                                  channelState: ChannelState) {
        @inline(__always) func value(_ index: Int) -> Float {
            g[index] + m[index]
        }
        scaleTuning = Double(g[56 /* scaleTuning */])
        let keyCents = tunedKey >= 0 ? scaleTuning / 100 * (tunedKey - tunedRoot) + tunedRoot
            : scaleTuning * (Double(key) - rootCents / 100) + rootCents
        pitchCents = keyCents + 100 * Double(value(51 /* coarseTune */)) + Double(value(52 /* fineTune */)) + channelState.tuningCents()

        // FluidSynth scales the attenuation generators (not modulators) by 0.4 like EMU hardware.
        var centibels = 0.4 * g[48 /* initialAttenuation */] + m[48 /* initialAttenuation */]
        centibels = centibels < 0 ? 0 : (centibels > 1440 ? 1440 : centibels)
        attenuation = centibels
        attenuationGain = FastMath.centibelsToGain(Double(centibels))

        let pans = PanLaw.gains(pan: value(17 /* pan */))
        panLeft = pans.left
        panRight = pans.right
        filterCutoffCents = Double(value(8 /* initialFilterFc */))
        filter.setQ(value(9 /* initialFilterQ */))
        modLfoToPitch = value(5 /* modLfoToPitch */)
        vibLfoToPitch = value(6 /* vibLfoToPitch */)
        modEnvToPitch = value(7 /* modEnvToPitch */)
        modLfoToFilter = value(10 /* modLfoToFilterFc */)
        modEnvToFilter = value(11 /* modEnvToFilterFc */)
        modLfoToVolume = value(13 /* modLfoToVolume */)
        reverbSend = value(16 /* reverbEffectsSend */)
        chorusSend = value(15 /* chorusEffectsSend */)
        // Tenths of a percent, clamped to 0...100 % (fluid_voice.c, GEN_REVERBSEND/GEN_CHORUSSEND).
        reverbFraction = reverbSend <= 0 ? 0 : (reverbSend >= 1000 ? 1 : reverbSend * 0.001)
        chorusFraction = chorusSend <= 0 ? 0 : (chorusSend >= 1000 ? 1 : chorusSend * 0.001)
    }

    /// The pitch in cents `key` would have on this voice (scale tuning, and the tuning table's
    /// `tunedPitch` when one is active), FluidSynth's `fluid_voice_calculate_pitch`.
    @_noLocks
    @inline(__always)
    func keyPitch(_ key: Int, tunedPitch: Double) -> Double {
        if tunedKey >= 0 { return scaleTuning / 100 * (tunedPitch - tunedRoot) + tunedRoot }
        return scaleTuning * (Double(key) - rootCents / 100) + rootCents
    }

    /// Starts (or, for a voice already gliding, redirects) a glide of `offset` cents to 0 over
    /// `blocks` sub-blocks, as `fluid_rvoice_set_portamento`.
    @_noLocks
    mutating func startPortamento(offset: Double, blocks: Int) {
        guard blocks > 0 else { return }
        portamentoOffset += offset
        portamentoStep = -portamentoOffset / Double(blocks)
    }

    /// Legato (multi-retrigger): both envelopes go back to their attack from the level they
    /// have, as `fluid_rvoice_multi_retrigger_attack`; the volume level is scaled by
    /// `previousAttenuationGain / attenuationGain` so the new velocity's attenuation does not
    /// jump (FluidSynth's prev_peak / peak; kept at most 1: the attack only rises here).
    @_noLocks
    mutating func retriggerAttack(previousAttenuationGain: Double) {
        var level: Double
        switch volumeEnvelope.stage {
        case .hold, .decay, .sustain, .release:
            level = FastMath.centibelsToGain(960 * (1 - Double(volumeEnvelope.value)))
        case .attack:
            level = Double(volumeEnvelope.value)
        default:
            level = -1
        }
        if level >= 0 {
            if attenuationGain > 0 { level *= previousAttenuationGain / attenuationGain }
            volumeEnvelope.restartAttack(from: Float(min(max(level, 0), 1)))
        }
        switch modulationEnvelope.stage {
        case .hold, .decay, .sustain, .release:
            let value = FastMath.centibelsToGain((1 - Double(modulationEnvelope.value)) * 960 / 2)
            modulationEnvelope.restartAttack(from: Float(min(max(value, 0), 1)))
        case .attack:
            modulationEnvelope.restartAttack(from: modulationEnvelope.value)
        default:
            break
        }
        cachedEnvelopeValue = -1
    }

    /// Enters the release phase of both envelopes (note-off, pedal up, same note restruck).
    @_noLocks
    @inline(__always)
    mutating func release() {
        if isReleased { return }
        if volumeEnvelope.isRising() {
            // Attack is linear in amplitude, release linear in dB: continue from the same amplitude.
            let lfoCentibels = Double(modLfo.value * -modLfoToVolume)
            let linear = Double(volumeEnvelope.value) * FastMath.centibelsToGain(lfoCentibels)
            var converted = linear > 0 ? 1 - (FastMath.gainToCentibels(linear) - lfoCentibels) / 960 : 0
            converted = converted < 0 ? 0 : (converted > 1 ? 1 : converted)
            volumeEnvelope.value = Float(converted)
        }
        volumeEnvelope.release()
        // The release goes on from the value the attack's convex curve had reached, as FluidSynth's.
        modulationEnvelope.value = min(max(modulationEnvelope.modulationValue(), 0), 1)
        modulationEnvelope.release()
        isReleased = true
    }

    /// The note-off of a voice whose key was down: held on by the sostenuto pedal that caught it,
    /// sustained by the sustain pedal, or released.
    @_noLocks
    @inline(__always)
    ///
    /// `tooSoonBy`: frames the note still lacks of the minimum note length; the release then
    /// waits that long (at sub-block boundaries), so a note-off that follows its note-on within a
    /// period (a drum pad, a fast staccato, both in one MIDI packet) still lets the note be heard.
    mutating func endNote(sustain: Bool, tooSoonBy remaining: Int = 0) {
        noteOffReceived = true
        if isSostenutoHeld { return }
        if sustain {
            isSustained = true
        } else {
            release(after: remaining)
        }
    }

    /// Releases now, or once `remaining` more frames have sounded: every release of a voice
    /// younger than the minimum note length waits for it, as each of FluidSynth's does
    /// (`fluid_voice_release` passes the minimum to `fluid_rvoice_noteoff`), whether a note-off,
    /// a pedal let up, a key struck again or a legato note let it go. Otherwise a note ended in
    /// the sub-block it began in is never heard: its envelope is still at 0.
    @_noLocks
    @inline(__always)
    mutating func release(after remaining: Int) {
        if remaining > 0 {
            if deferredReleaseFrames < 0 { deferredReleaseFrames = remaining }
        } else {
            release()
        }
    }

    /// First half of rendering one sub-block of `count` frames (at most 64): advances envelopes
    /// and LFOs, sets the gain targets and filter cutoff, and interpolates the sample into
    /// `scratch`. Returns the number of points written (fewer if an unlooped sample ended).
    @_noLocks
    @inline(__always)
    mutating func prepare(count: Int, scratch: UnsafeMutablePointer<Float>, data: UnsafePointer<Int16>,
                          lowBytes: UnsafePointer<UInt8>?, cubicTable: UnsafePointer<SIMD4<Int16>>,
                          sincTable: UnsafePointer<Float>, outputRate: Double, method: Int) -> Int {
        if deferredReleaseFrames >= 0 {
            if deferredReleaseFrames == 0 {
                deferredReleaseFrames = -1
                release()
            } else {
                deferredReleaseFrames = deferredReleaseFrames > count ? deferredReleaseFrames - count : 0
            }
        }
        // Parameters at the end of this sub-block; gains ramp linearly towards them.
        volumeEnvelope.advance(count)
        modulationEnvelope.advance(count)
        modLfo.advance(count)
        vibLfo.advance(count)

        var targetAmplitude: Float
        var finished = false
        if isKilled || volumeEnvelope.isFinished() {
            targetAmplitude = 0
            finished = true
        } else if case .delay = volumeEnvelope.stage {
            targetAmplitude = 0
        } else {
            let lfoCentibels = modLfo.value * -modLfoToVolume
            var envelopeGain: Double
            let isAttack: Bool
            if case .attack = volumeEnvelope.stage { isAttack = true } else { isAttack = false }
            if volumeEnvelope.value == cachedEnvelopeValue && lfoCentibels == cachedLfoCentibels
                && isAttack == cachedIsAttack {
                envelopeGain = cachedEnvelopeGain  // sustain, hold: nothing moved
            } else if isAttack {
                envelopeGain = Double(volumeEnvelope.value) * FastMath.centibelsToGain(Double(lfoCentibels))
            } else {
                envelopeGain = FastMath.centibelsToGain(960 * (1 - Double(volumeEnvelope.value)) + Double(lfoCentibels))
            }
            cachedEnvelopeValue = volumeEnvelope.value
            cachedLfoCentibels = lfoCentibels
            cachedIsAttack = isAttack
            cachedEnvelopeGain = envelopeGain
            if !isAttack && volumeEnvelope.value <= 0 { finished = true }
            let level = envelopeGain * attenuationGain
            // Below -100 dB in release: inaudible, free the voice.
            if isReleased && level < 1e-5 { finished = true }
            targetAmplitude = Float(level)
        }
        amplitude = targetAmplitude
        let scaled = targetAmplitude * amplitudeScale
        let targetLeft = scaled * panLeft, targetRight = scaled * panRight

        if portamentoStep != 0 {
            // As fluid_rvoice_write: step first, stop when the offset crosses 0.
            portamentoOffset += portamentoStep
            if (portamentoStep > 0) == (portamentoOffset > 0) {
                portamentoOffset = 0
                portamentoStep = 0
            }
        }
        let modulation = modulationEnvelope.modulationValue()
        let pitch = pitchCents + portamentoOffset + Double(modLfo.value * modLfoToPitch + vibLfo.value * vibLfoToPitch
                                        + modulation * modEnvToPitch)
        if pitch != cachedPitch {
            cachedPitch = pitch
            // fluid_ct2hz_real truncates positive cents (an unsigned conversion); NaN stays as it is.
            let cents = wholeCentPitch && pitch >= 0 && pitch < 1e9 ? Double(Int(pitch)) : pitch
            cachedIncrement = FastMath.exp2((cents - rootCents) * (1.0 / 1200)) * rateRatio
            // Keeps the 32.32 step in range (NaN, from no sane font, stands still).
            if !(cachedIncrement <= 1024) { cachedIncrement = cachedIncrement.isNaN ? 0 : 1024 }
        }
        let increment = cachedIncrement
        filter.update(cutoffCents: filterCutoffCents + Double(modLfo.value * modLfoToFilter + modulation * modEnvToFilter),
                      sampleRate: outputRate, count: count)
        filter.setBypassed(filter.isOpen && !filter.isGliding && modLfoToFilter == 0 && modEnvToFilter == 0)

        pendingLeft = targetLeft
        pendingRight = targetRight
        pendingReverb = scaled * reverbFraction
        pendingChorus = scaled * chorusFraction
        pendingFinished = finished
        // Interpolate the sample into the scratch buffer; the caller filters it, then mixes.
        return interpolate(into: scratch, count: count, increment: increment, data: data, lowBytes: lowBytes,
                           cubicTable: cubicTable, sincTable: sincTable, method: method)
    }

    /// Adds `produced` filtered points of a `count`-frame sub-block to the output with gains
    /// ramping linearly from the last sub-block's values to the new ones. Returns false when
    /// the voice has finished and its slot can be freed.
    @_noLocks
    @inline(__always)
    mutating func mix(count: Int, produced: Int, scratch: UnsafeMutablePointer<Float>,
                      left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>,
                      sends: SendBuses, withSends: Bool) -> Bool {
        let ramp = gainRamp(count: count)
        var i = 0
        while i < produced {
            let step = Float(i + 1)
            let y = scratch[i]
            left[i] += y * (ramp.0 + ramp.1 * step)
            right[i] += y * (ramp.2 + ramp.3 * step)
            i += 1
        }
        if withSends { mixSends(count: count, produced: produced, filtered: scratch, sends: sends) }
        return finishMix(count: count, produced: produced)
    }

    /// Adds `produced` points of `filtered` (scaled by the filter's gain `factor`) to the send
    /// buses with the send gains ramping across the `count`-frame sub-block as the dry gains do.
    @_noLocks
    @inline(__always)
    func mixSends(count: Int, produced: Int, filtered: UnsafePointer<Float>, factor: Float = 1, sends: SendBuses) {
        let ramp = sendRamp(count: count)
        if ramp.0 != 0 || ramp.1 != 0 {
            Self.addRamped(filtered, produced: produced, start: ramp.0 * factor, step: ramp.1 * factor, into: sends.reverb)
        }
        if ramp.2 != 0 || ramp.3 != 0 {
            Self.addRamped(filtered, produced: produced, start: ramp.2 * factor, step: ramp.3 * factor, into: sends.chorus)
        }
    }

    /// `bus[i] += x[i] × (start + step × (i + 1))` for `produced` points, four per step in SIMD lanes.
    @_noLocks
    @inline(__always)
    static func addRamped(_ x: UnsafePointer<Float>, produced: Int, start: Float, step: Float,
                          into bus: UnsafeMutablePointer<Float>) {
        var gain = start + step * SIMD4<Float>(1, 2, 3, 4)
        let jump = SIMD4<Float>(repeating: 4 * step)
        var i = 0
        while i + 4 <= produced {
            let y = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Float>.self)
            let b = UnsafeMutableRawPointer(bus + i)
            b.storeBytes(of: b.loadUnaligned(as: SIMD4<Float>.self) + y * gain, as: SIMD4<Float>.self)
            gain += jump
            i += 4
        }
        while i < produced {
            bus[i] += x[i] * (start + step * Float(i + 1))
            i += 1
        }
    }

    /// `mix` for a voice whose filter is bypassed: the samples × the filter's passband gain, four
    /// frames per step in SIMD lanes. Returns false when the voice has finished.
    @_noLocks
    @inline(__always)
    mutating func mixBypassed(count: Int, produced: Int, scratch: UnsafeMutablePointer<Float>,
                              left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>) -> Bool {
        let ramp = gainRamp(count: count)
        let g = Float(filter.gain)
        let leftStart = ramp.0 * g, leftStep = ramp.1 * g, rightStart = ramp.2 * g, rightStep = ramp.3 * g
        let steps = SIMD4<Float>(1, 2, 3, 4)
        var gainL = leftStart + leftStep * steps, gainR = rightStart + rightStep * steps
        let jumpL = SIMD4<Float>(repeating: 4 * leftStep), jumpR = SIMD4<Float>(repeating: 4 * rightStep)
        var i = 0
        while i + 4 <= produced {
            let y = UnsafeRawPointer(scratch + i).loadUnaligned(as: SIMD4<Float>.self)
            let l = UnsafeMutableRawPointer(left + i), r = UnsafeMutableRawPointer(right + i)
            l.storeBytes(of: l.loadUnaligned(as: SIMD4<Float>.self) + y * gainL, as: SIMD4<Float>.self)
            r.storeBytes(of: r.loadUnaligned(as: SIMD4<Float>.self) + y * gainR, as: SIMD4<Float>.self)
            gainL += jumpL
            gainR += jumpR
            i += 4
        }
        while i < produced {
            let step = Float(i + 1)
            let y = scratch[i]
            left[i] += y * (leftStart + leftStep * step)
            right[i] += y * (rightStart + rightStep * step)
            i += 1
        }
        return finishMix(count: count, produced: produced)
    }

    /// `mixBypassed` that also feeds the send buses, all four in one loop (the samples loaded
    /// once); the dry arithmetic is `mixBypassed`'s.
    @_noLocks
    @inline(__always)
    mutating func mixBypassedWithSends(count: Int, produced: Int, scratch: UnsafeMutablePointer<Float>,
                                       left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>,
                                       sends: SendBuses) -> Bool {
        let ramp = gainRamp(count: count), send = sendRamp(count: count)
        let g = Float(filter.gain)
        let leftStart = ramp.0 * g, leftStep = ramp.1 * g, rightStart = ramp.2 * g, rightStep = ramp.3 * g
        let reverbStart = send.0 * g, reverbStep = send.1 * g, chorusStart = send.2 * g, chorusStep = send.3 * g
        let steps = SIMD4<Float>(1, 2, 3, 4)
        var gainL = leftStart + leftStep * steps, gainR = rightStart + rightStep * steps
        var gainE = reverbStart + reverbStep * steps, gainC = chorusStart + chorusStep * steps
        let jumpL = SIMD4<Float>(repeating: 4 * leftStep), jumpR = SIMD4<Float>(repeating: 4 * rightStep)
        let jumpE = SIMD4<Float>(repeating: 4 * reverbStep), jumpC = SIMD4<Float>(repeating: 4 * chorusStep)
        let reverb = sends.reverb, chorus = sends.chorus
        var i = 0
        while i + 4 <= produced {
            let y = UnsafeRawPointer(scratch + i).loadUnaligned(as: SIMD4<Float>.self)
            let l = UnsafeMutableRawPointer(left + i), r = UnsafeMutableRawPointer(right + i)
            let e = UnsafeMutableRawPointer(reverb + i), c = UnsafeMutableRawPointer(chorus + i)
            l.storeBytes(of: l.loadUnaligned(as: SIMD4<Float>.self) + y * gainL, as: SIMD4<Float>.self)
            r.storeBytes(of: r.loadUnaligned(as: SIMD4<Float>.self) + y * gainR, as: SIMD4<Float>.self)
            e.storeBytes(of: e.loadUnaligned(as: SIMD4<Float>.self) + y * gainE, as: SIMD4<Float>.self)
            c.storeBytes(of: c.loadUnaligned(as: SIMD4<Float>.self) + y * gainC, as: SIMD4<Float>.self)
            gainL += jumpL
            gainR += jumpR
            gainE += jumpE
            gainC += jumpC
            i += 4
        }
        while i < produced {
            let step = Float(i + 1)
            let y = scratch[i]
            left[i] += y * (leftStart + leftStep * step)
            right[i] += y * (rightStart + rightStep * step)
            reverb[i] += y * (reverbStart + reverbStep * step)
            chorus[i] += y * (chorusStart + chorusStep * step)
            i += 1
        }
        return finishMix(count: count, produced: produced)
    }

    /// Left start, left step, right start, right step of this sub-block's gain ramp.
    @_noLocks
    @inline(__always)
    func gainRamp(count: Int) -> (Float, Float, Float, Float) {
        let n = Float(count)
        return (gainLeft, (pendingLeft - gainLeft) / n, gainRight, (pendingRight - gainRight) / n)
    }

    /// Reverb start, reverb step, chorus start, chorus step of this sub-block's send ramp.
    @_noLocks
    @inline(__always)
    func sendRamp(count: Int) -> (Float, Float, Float, Float) {
        let n = Float(count)
        return (reverbGain, (pendingReverb - reverbGain) / n, chorusGain, (pendingChorus - chorusGain) / n)
    }

    /// Whether the voice feeds the send buses in this sub-block.
    @_noLocks
    @inline(__always)
    func hasSends() -> Bool { reverbGain != 0 || pendingReverb != 0 || chorusGain != 0 || pendingChorus != 0 }

    /// Moves the gains to where the ramp ended; returns false when the voice has finished.
    @_noLocks
    @inline(__always)
    mutating func finishMix(count: Int, produced: Int) -> Bool {
        let targetLeft = pendingLeft, targetRight = pendingRight
        let n = Float(count)
        let stepLeft = (targetLeft - gainLeft) / n, stepRight = (targetRight - gainRight) / n
        let startLeft = gainLeft, startRight = gainRight
        let reachedEnd = produced < count || sampleEnded
        if produced == count {
            gainLeft = targetLeft
            gainRight = targetRight
            reverbGain = pendingReverb
            chorusGain = pendingChorus
        } else {
            gainLeft = startLeft + stepLeft * Float(produced)
            gainRight = startRight + stepRight * Float(produced)
            reverbGain += (pendingReverb - reverbGain) / n * Float(produced)
            chorusGain += (pendingChorus - chorusGain) / n * Float(produced)
        }
        return !(pendingFinished || reachedEnd)
    }

    /// Writes up to `count` interpolated points to `output`, advancing the phase; returns how
    /// many were written (fewer when an unlooped sample ends, which sets `sampleEnded`).
    /// Runs of points whose four neighbours are all inside the sample go through a loop with
    /// no bounds checks; only points near the loop end or sample edges take the careful path.
    @_noLocks
    @inline(__always)
    mutating func interpolate(into output: UnsafeMutablePointer<Float>, count: Int, increment: Double,
                              data: UnsafePointer<Int16>, lowBytes: UnsafePointer<UInt8>?,
                              cubicTable: UnsafePointer<SIMD4<Int16>>, sincTable: UnsafePointer<Float>,
                              method: Int) -> Int {
        let cubic = method == Self.cubicMethod
        let step = UInt64(increment * 4294967296.0)
        // The common case first, with little setup: 16-bit points, cubic, and the whole sub-block
        // with its neighbours inside the sample (or loop). The same arithmetic as the general loop
        // below takes for such a run, so the output is identical; only the bookkeeping is shorter.
        if cubic && lowBytes == nil && step > 0 && count > 0 {
            let looping = isLooping
            let limit = looping ? loopEnd : end
            let index = Int(truncatingIfNeeded: phase >> 32)
            let last = UInt64(count - 1).multipliedReportingOverflow(by: step)
            let reach = phase.addingReportingOverflow(last.partialValue)
            if index >= start + 1 && !last.overflow && !reach.overflow
                && Int(truncatingIfNeeded: reach.partialValue >> 32) + 2 < limit {
                var p = phase
                let j = Self.cubicRun16(output, count, &p, step, data, cubicTable)
                Self.cubicTail16(output, j, count, &p, step, data, cubicTable)
                if looping {
                    let loopLength = UInt64(loopEnd - loopStart) << 32, loopEndFixed = UInt64(loopEnd) << 32
                    while p >= loopEndFixed && loopLength > 0 { p -= loopLength }
                } else if p >= UInt64(end) << 32 {
                    sampleEnded = true
                }
                phase = p
                return count
            }
        }
        var position = phase
        let looping = isLooping
        let limit = looping ? loopEnd : end
        let first = start, loopFirst = loopStart, loopLast = loopEnd
        let loopLength = UInt64(loopEnd - loopStart) << 32
        let loopEndFixed = UInt64(loopEnd) << 32, endFixed = UInt64(end) << 32
        let scale: Float = 1.0 / 4294967296.0

        /// Point `j`: 16-bit, or 24-bit (×256) when the font has an sm24 chunk.
        @inline(__always) func at(_ j: Int) -> Float {
            if let lowBytes { return Float(Int32(data[j]) << 8 | Int32(lowBytes[j])) }
            return Float(data[j])
        }

        // A zero-length sample (start == end) has no point to read: it ends at once.
        if !looping && position >= endFixed {
            sampleEnded = true
            return 0
        }
        // Points each method reads before and after the one at the position (sinc: 3 and 4).
        let isSinc = method == Self.sincMethod
        let before = isSinc ? Self.sincTaps / 2 - 1 : 1
        let after = isSinc ? Self.sincTaps / 2 : 2
        var i = 0
        while i < count {
            let index = Int(truncatingIfNeeded: position >> 32)
            if index >= first + before && index + after < limit && step > 0 {
                // Points k = 0, 1, ... with index + after < limit: position + k·step < (limit - after) << 32.
                let safeFixed = UInt64(limit - after) << 32
                // Usually the rest of the sub-block fits (one multiply); otherwise divide.
                var run = count - i
                let last = UInt64(run - 1).multipliedReportingOverflow(by: step)
                if last.overflow || last.partialValue >= safeFixed - position {
                    run = Int((safeFixed - position - 1) / step) + 1
                }
                var p = position
                let out = output + i
                if cubic {
                    // Four outputs per iteration: 16-bit points through the integer weight table
                    // (cubicRun16), 24-bit points in float lanes (cubicRun).
                    var j: Int
                    if let lowBytes {
                        j = Self.cubicRun(out, run, &p, step, data, lowBytes)
                    } else {
                        j = Self.cubicRun16(out, run, &p, step, data, cubicTable)
                        Self.cubicTail16(out, j, run, &p, step, data, cubicTable)
                        j = run
                    }
                    while j < run {
                        let s = Int(truncatingIfNeeded: p >> 32)
                        let fraction = Float(UInt32(truncatingIfNeeded: p)) * scale
                        out[j] = SampleInterpolation.cubic(at(s - 1), at(s), at(s + 1), at(s + 2), fraction)
                        p &+= step
                        j += 1
                    }
                } else if isSinc {
                    for j in 0..<run {
                        let s = Int(truncatingIfNeeded: p >> 32)
                        let weights = sincTable + SampleInterpolation.sincRow(UInt32(truncatingIfNeeded: p))
                        var sum: Float = 0
                        for k in 0..<Self.sincTaps { sum += weights[k] * at(s - 3 + k) }
                        out[j] = sum
                        p &+= step
                    }
                } else if method == Self.noneMethod {
                    for j in 0..<run {
                        // Nearest point, rounding the position as FluidSynth's interpolate_none does.
                        out[j] = at(Int(truncatingIfNeeded: (p &+ 0x8000_0000) >> 32))
                        p &+= step
                    }
                } else {
                    for j in 0..<run {
                        let s = Int(truncatingIfNeeded: p >> 32)
                        let fraction = Float(UInt32(truncatingIfNeeded: p)) * scale
                        out[j] = SampleInterpolation.linear(at(s), at(s + 1), fraction)
                        p &+= step
                    }
                }
                position = p
                i += run
            } else if cubic && lowBytes == nil && looping && index >= first + 1 && index < loopLast && loopFirst >= first {
                // A point whose right neighbours wrap to the loop start (the usual edge of a looped
                // 16-bit sample): `edgePoint`'s points for this case, inline, weighted as in the runs.
                let length = loopLast - loopFirst
                let i1 = index + 1 >= loopLast ? index + 1 - length : index + 1
                let i2 = index + 2 >= loopLast ? index + 2 - length : index + 2
                output[i] = Self.cubicPoint16(SIMD4<Int16>(data[index - 1], data[index], data[i1], data[i2]), position,
                                              cubicTable)
                position &+= step
                i += 1
            } else {
                output[i] = Self.edgePoint(position, data, lowBytes, looping: looping, first: first, limit: limit,
                                           loopFirst: loopFirst, loopLast: loopLast, method: method, sincTable: sincTable)
                position &+= step
                i += 1
            }
            if looping {
                while position >= loopEndFixed && loopLength > 0 { position -= loopLength }
            } else if position >= endFixed {
                sampleEnded = true
                break
            }
        }
        phase = position
        return i
    }

    /// One interpolated point whose neighbours reach past the loop end (wrapping to the loop start)
    /// or the sample's edges (the end reads as 0, before the start as the first point). Rare, so
    /// kept out of line: `interpolate` stays small enough for its registers.
    @_noLocks
    @inline(never)
    static func edgePoint(_ position: UInt64, _ data: UnsafePointer<Int16>, _ lowBytes: UnsafePointer<UInt8>?,
                          looping: Bool, first: Int, limit: Int, loopFirst: Int, loopLast: Int, method: Int,
                          sincTable: UnsafePointer<Float>) -> Float {
        @inline(__always) func point(_ j: Int) -> Float {
            var j = j
            if looping {
                if j >= loopLast { j -= loopLast - loopFirst }
            } else if j >= limit {
                return 0
            }
            if j < first { j = first }
            if let lowBytes { return Float(Int32(data[j]) << 8 | Int32(lowBytes[j])) }
            return Float(data[j])
        }
        let index = Int(truncatingIfNeeded: position >> 32)
        let fraction = Float(UInt32(truncatingIfNeeded: position)) * (1.0 / 4294967296.0)
        if method == Self.cubicMethod {
            return SampleInterpolation.cubic(point(index - 1), point(index), point(index + 1), point(index + 2), fraction)
        } else if method == Self.sincMethod {
            let weights = sincTable + SampleInterpolation.sincRow(UInt32(truncatingIfNeeded: position))
            var sum: Float = 0
            for k in 0..<Self.sincTaps { sum += weights[k] * point(index - 3 + k) }
            return sum
        } else if method == Self.noneMethod {
            return fraction < 0.5 ? point(index) : point(index + 1)
        }
        return SampleInterpolation.linear(point(index), point(index + 1), fraction)
    }

    /// The four points around 32.32 position `q` (q-1 ... q+2) as floats, from one 64-bit read
    /// (and one 32-bit read of the sm24 low bytes for 24-bit fonts, giving values ×256).
    @_noLocks
    @inline(__always)
    static func row(_ data: UnsafePointer<Int16>, _ lowBytes: UnsafePointer<UInt8>?, _ q: UInt64) -> SIMD4<Float> {
        let index = Int(truncatingIfNeeded: q >> 32) - 1
        let points = unsafeBitCast(UnsafeRawPointer(data + index).loadUnaligned(as: UInt64.self), to: SIMD4<Int16>.self)
        let wide = SIMD4<Int32>(truncatingIfNeeded: points)
        if let lowBytes {
            let low = unsafeBitCast(UnsafeRawPointer(lowBytes + index).loadUnaligned(as: UInt32.self), to: SIMD4<UInt8>.self)
            return SIMD4<Float>((wide &<< 8) | SIMD4<Int32>(truncatingIfNeeded: low))
        }
        return SIMD4<Float>(wide)
    }

    /// Cubic interpolation of the largest multiple of four points of `run`, four per iteration in
    /// SIMD lanes: each lane loads its four neighbouring points with one 64-bit read, the
    /// Catmull-Rom weights are computed for all lanes at once, and the rows are transposed into
    /// columns. Advances `p`; returns the number of points written.
    @_noLocks
    @inline(__always)
    static func cubicRun(_ out: UnsafeMutablePointer<Float>, _ run: Int, _ p: inout UInt64, _ step: UInt64,
                         _ data: UnsafePointer<Int16>, _ lowBytes: UnsafePointer<UInt8>?) -> Int {
        var j = 0
        var position = p
        // Fractions: the low 32 bits of each lane's position, wrapping like the 64-bit sum,
        // kept to 24 bits so they convert as signed integers.
        let step32 = UInt32(truncatingIfNeeded: step)
        let fractionOffsets = SIMD4<UInt32>(0, step32, 2 &* step32, 3 &* step32)
        let fractionScale: Float = 1.0 / 16777216.0
        while j + 4 <= run {
            let low = SIMD4<UInt32>(repeating: UInt32(truncatingIfNeeded: position)) &+ fractionOffsets
            let f = SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: low &>> 8)) * fractionScale
            let r0 = row(data, lowBytes, position), r1 = row(data, lowBytes, position &+ step)
            let r2 = row(data, lowBytes, position &+ 2 &* step), r3 = row(data, lowBytes, position &+ 3 &* step)
            let c0 = SIMD4<Float>(r0[0], r1[0], r2[0], r3[0]), c1 = SIMD4<Float>(r0[1], r1[1], r2[1], r3[1])
            let c2 = SIMD4<Float>(r0[2], r1[2], r2[2], r3[2]), c3 = SIMD4<Float>(r0[3], r1[3], r2[3], r3[3])
            let w0 = f * (-0.5 + f * (1 - 0.5 * f))
            let w1 = 1 + f * f * (1.5 * f - 2.5)
            let w2 = f * (0.5 + f * (2 - 1.5 * f))
            let w3 = 0.5 * f * f * (f - 1)
            let y = w0 * c0 + w1 * c1 + w2 * c2 + w3 * c3
            UnsafeMutableRawPointer(out + j).storeBytes(of: y, as: SIMD4<Float>.self)
            position &+= 4 &* step
            j += 4
        }
        p = position
        return j
    }

    /// One point of `cubicRun16`: `points` (q-1 ... q+2) weighted by the table entry for 32.32
    /// position `q`, summed as integers and scaled alike, so a point interpolated alone (the end of a
    /// run, a loop's edge) comes out exactly as it would inside a run.
    @_noLocks
    @inline(__always)
    static func cubicPoint16(_ points: SIMD4<Int16>, _ q: UInt64, _ table: UnsafePointer<SIMD4<Int16>>) -> Float {
        let weights = table[Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: q) >> 22)]  // 32 - cubicTableBits
        let products = SIMD4<Int32>(truncatingIfNeeded: points) &* SIMD4<Int32>(truncatingIfNeeded: weights)
        return Float((products[0] &+ products[1]) &+ (products[2] &+ products[3])) * (1.0 / 32767)
    }

    /// Points `from..<to` of a run that `cubicRun16` left (fewer than four), one by one with its
    /// arithmetic. Advances `p`.
    @_noLocks
    @inline(__always)
    static func cubicTail16(_ out: UnsafeMutablePointer<Float>, _ from: Int, _ to: Int, _ p: inout UInt64, _ step: UInt64,
                            _ data: UnsafePointer<Int16>, _ table: UnsafePointer<SIMD4<Int16>>) {
        var j = from
        while j < to {
            let s = Int(truncatingIfNeeded: p >> 32)
            out[j] = cubicPoint16(UnsafeRawPointer(data + (s - 1)).loadUnaligned(as: SIMD4<Int16>.self), p, table)
            p &+= step
            j += 1
        }
    }

    /// Cubic interpolation of 16-bit points, the largest multiple of four of `run`, four outputs per
    /// iteration: each output's four points (one 64-bit read) and its four integer weights (the
    /// `SampleInterpolation.makeCubicTable` entry the fraction's top bits pick) fill one half of a
    /// 16-bit vector; `pmaddwd` multiplies and adds pairs, two shuffles and an add finish the four
    /// sums. No conversion per point, no transpose, no weights to compute. Output is in point units
    /// like `cubic` (the integer sum × 1/32767). Advances `p`; returns the number of points written.
    /// Not inlined: alone, the loop keeps everything in registers.
    @_noLocks
    @inline(never)
    static func cubicRun16(_ out: UnsafeMutablePointer<Float>, _ run: Int, _ p: inout UInt64, _ step: UInt64,
                           _ data: UnsafePointer<Int16>, _ table: UnsafePointer<SIMD4<Int16>>) -> Int {
        @inline(__always) func points(_ q: UInt64) -> SIMD4<Int16> {
            UnsafeRawPointer(data + (Int(truncatingIfNeeded: q >> 32) - 1)).loadUnaligned(as: SIMD4<Int16>.self)
        }
        @inline(__always) func weights(_ q: UInt64) -> SIMD4<Int16> {
            table[Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: q) >> 22)]  // 32 - cubicTableBits
        }
        var j = 0
        var q0 = p
        while j &+ 4 <= run {
            let q1 = q0 &+ step, q2 = q1 &+ step, q3 = q2 &+ step
            let x01 = SIMD8<Int32>(truncatingIfNeeded: SIMD8<Int16>(lowHalf: points(q0), highHalf: points(q1)))
                &* SIMD8<Int32>(truncatingIfNeeded: SIMD8<Int16>(lowHalf: weights(q0), highHalf: weights(q1)))
            let x23 = SIMD8<Int32>(truncatingIfNeeded: SIMD8<Int16>(lowHalf: points(q2), highHalf: points(q3)))
                &* SIMD8<Int32>(truncatingIfNeeded: SIMD8<Int16>(lowHalf: weights(q2), highHalf: weights(q3)))
            // Pair sums (pmaddwd): [0: p0w0+p1w1, 0: p2w2+p3w3, 1: ..., 1: ...], then [2 ..., 3 ...].
            let s01 = x01.evenHalf &+ x01.oddHalf, s23 = x23.evenHalf &+ x23.oddHalf
            let sums = SIMD4<Int32>(s01[0], s01[2], s23[0], s23[2]) &+ SIMD4<Int32>(s01[1], s01[3], s23[1], s23[3])
            let y = SIMD4<Float>(sums) * (1.0 / 32767)  // 1 / SampleInterpolation.cubicTableOne
            UnsafeMutableRawPointer(out + j).storeBytes(of: y, as: SIMD4<Float>.self)
            q0 = q3 &+ step
            j &+= 4
        }
        p = q0
        return j
    }
}

extension Voice {
    /// The interpolation methods as the voice loop numbers them (`SampleInterpolation.method`);
    /// declared here, beside their only render-path use, so unoptimised builds inline them too.
    static var noneMethod: Int { 0 }
    static var linearMethod: Int { 1 }
    static var cubicMethod: Int { 2 }
    static var sincMethod: Int { 3 }
    /// `SampleInterpolation.sincTaps`.
    static var sincTaps: Int { 8 }
}
