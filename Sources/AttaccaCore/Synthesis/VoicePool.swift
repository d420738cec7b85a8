/// The fixed set of voices, allocated once. When every voice is busy a new note steals the voice
/// with the lowest overflow priority, FluidSynth's `fluid_voice_get_overflow_prio` (fluid_voice.c)
/// with its default `synth.overflow.*` settings: +4000 on a percussion channel, else −2000 once
/// released (note-off, exclusive class) or −1000 while held by the sustain or sostenuto pedal;
/// + 1000 / age in seconds (a voice just started is nearly never taken); + 500 / attenuation in
/// centibels (at least 0.1: louder voices count more). Ties go to the lowest slot, as in
/// FluidSynth's scan.
struct VoicePool: ~Copyable {
    let voices: UnsafeMutablePointer<Voice>
    let capacity: Int
    private(set) var activeCount = 0
    /// Slots of the active voices, `activeCount` of them in no particular order, so rendering
    /// visits only sounding voices.
    let activeSlots: UnsafeMutablePointer<Int32>
    /// Where each slot sits in `activeSlots` (-1 when free).
    let listPosition: UnsafeMutablePointer<Int32>

    init(capacity: Int) {
        self.capacity = capacity
        voices = .allocate(capacity: capacity)
        voices.initialize(repeating: Voice(), count: capacity)
        activeSlots = .allocate(capacity: capacity)
        activeSlots.initialize(repeating: 0, count: capacity)
        listPosition = .allocate(capacity: capacity)
        listPosition.initialize(repeating: -1, count: capacity)
    }

    deinit {
        voices.deinitialize(count: capacity)
        voices.deallocate()
        activeSlots.deallocate()
        listPosition.deallocate()
    }

    @_noLocks
    @inline(__always)
    mutating func insert(_ slot: Int) {
        voices[slot].isActive = true
        listPosition[slot] = Int32(activeCount)
        activeSlots[activeCount] = Int32(slot)
        activeCount += 1
    }

    @_noLocks
    @inline(__always)
    mutating func remove(_ slot: Int) {
        voices[slot].isActive = false
        let position = Int(listPosition[slot])
        let last = Int(activeSlots[activeCount - 1])
        activeSlots[position] = Int32(last)
        listPosition[last] = Int32(position)
        listPosition[slot] = -1
        activeCount -= 1
    }

    /// A slot for a new voice: a free one, or the stolen one chosen by the policy above.
    /// The slot is marked active; the caller sets it up. `now` is the frame the note starts at;
    /// `channels` tells percussion channels.
    @_noLocks
    @inline(__always)
    mutating func allocate(now: UInt64, outputRate: Double, channels: UnsafePointer<ChannelState>) -> Int {
        var victim = -1
        for i in 0..<capacity where !voices[i].isActive {
            victim = i
            break
        }
        if victim < 0 {
            victim = 0
            var lowest = Double.infinity
            for i in 0..<capacity {
                let priority = Self.overflowPriority(voices[i], now: now, outputRate: outputRate,
                                                     percussion: channels[voices[i].channel].isPercussion)
                if priority < lowest {
                    lowest = priority
                    victim = i
                }
            }
            remove(victim)
        }
        insert(victim)
        return victim
    }

    /// FluidSynth's overflow priority of `voice` at frame `now` (higher is kept longer).
    @_noLocks
    @inline(__always)
    static func overflowPriority(_ voice: Voice, now: UInt64, outputRate: Double, percussion: Bool) -> Double {
        var priority = 0.0
        if percussion {
            priority += 4000
        } else if voice.isReleased {
            priority -= 2000
        } else if voice.isSustained || (voice.noteOffReceived && voice.isSostenutoHeld) {
            priority -= 1000
        }
        let age = now > voice.startFrame ? now - voice.startFrame : 1
        priority += 1000 * outputRate / Double(age)
        let attenuation = voice.attenuation < 0.1 ? 0.1 : Double(voice.attenuation)
        priority += 500 / attenuation
        return priority
    }

    /// Frees a slot.
    @_noLocks
    @inline(__always)
    mutating func free(_ index: Int) {
        if voices[index].isActive { remove(index) }
    }

    /// Frees every slot at once (system reset).
    @_noLocks
    mutating func freeAll() {
        for i in 0..<capacity {
            voices[i].isActive = false
            listPosition[i] = -1
        }
        activeCount = 0
    }
}
