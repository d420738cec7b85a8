import AttaccaCore
import CFluidSynth

/// libfluidsynth behind the `SoundEngine` interface: the reference the native engine is measured
/// against, and a fallback for users. Owns its settings and synth; both are deleted in `deinit`.
///
/// Events take effect at FluidSynth's 64-frame block boundaries (its internal buffer size), even
/// through `render(left:right:frameCount:events:)`: a message sent after rendering `k` frames
/// applies from the next multiple of 64 frames since the engine was created (measured: the first
/// non-zero sample of a note-on at frame k is frame ⌈k/64⌉·64 + 1; see FluidSynthEngineTests).
///
/// `Sendable` so the live path can move it to the audio thread: being non-copyable, it has one
/// owner at a time, which is why FluidSynth's own API mutex is turned off (`synth.threadsafe-api`).
public struct FluidSynthEngine: ~Copyable, @unchecked Sendable, SoundEngine {
    private let settings: OpaquePointer
    private let synth: OpaquePointer
    public let sampleRate: Int
    /// The sysex message being gathered from `MidiMessage.sysex` pieces (F0 and F7 left out, as
    /// `fluid_synth_sysex` wants), allocated once.
    private let sysexBuffer: UnsafeMutablePointer<CChar>
    private var sysexLength = 0
    private var sysexReceiving = false
    private static let sysexCapacity = 512

    /// Loads `soundFontPath` into a new synth. `gain` goes straight to FluidSynth's `synth.gain`
    /// (whose own default is 0.2). Reverb and chorus are off unless enabled in `reverb` and
    /// `chorus`, whose parameters go to `synth.reverb.*` and `synth.chorus.*` (set every time:
    /// Debian 12's FluidSynth 2.3 has older defaults than the 2.4+ ones the settings hold).
    /// `bankSelect` is `synth.midi-bank-select` (gs, gm, xg or mma).
    public init(soundFontPath: String, sampleRate: Int, polyphony: Int = 256, gain: Float = 1.0,
                reverb: ReverbSettings = ReverbSettings(isEnabled: false),
                chorus: ChorusSettings = ChorusSettings(isEnabled: false), bankSelect: String = "gs") throws(FluidSynthError) {
        try self.init(soundFonts: [(soundFontPath, 0)], sampleRate: sampleRate, polyphony: polyphony, gain: gain,
                      reverb: reverb, chorus: chorus, bankSelect: bankSelect)
    }

    /// Loads several SoundFonts in this order with `fluid_synth_sfload`, so the last is on top of
    /// FluidSynth's font stack, each with its bank offset (`fluid_synth_set_bank_offset`).
    /// `interpolation` is `fluid_synth_set_interp_method`'s: 0 none, 1 linear, 4 cubic, 7 seventh-order.
    public init(soundFonts: [(path: String, bankOffset: Int)], sampleRate: Int, polyphony: Int = 256, gain: Float = 1.0,
                reverb: ReverbSettings = ReverbSettings(isEnabled: false),
                chorus: ChorusSettings = ChorusSettings(isEnabled: false),
                bankSelect: String = "gs", interpolation: Int = 4) throws(FluidSynthError) {
        try FluidSynthLibrary.available()
        FluidSynthLog.install
        FluidSynthLog.clear()
        Self.globalTablesReady
        guard let settings = FluidSynthLibrary.api.new_fluid_settings!() else { throw .creationFailed("settings") }
        do throws(FluidSynthError) {
            try Self.set(settings, "synth.sample-rate", number: Double(sampleRate))
            try Self.set(settings, "synth.polyphony", integer: polyphony)
            try Self.set(settings, "synth.gain", number: Double(gain))
            try Self.set(settings, "synth.reverb.active", integer: reverb.isEnabled ? 1 : 0)
            try Self.set(settings, "synth.reverb.room-size", number: reverb.roomSize)
            try Self.set(settings, "synth.reverb.damp", number: reverb.damping)
            try Self.set(settings, "synth.reverb.width", number: reverb.width)
            try Self.set(settings, "synth.reverb.level", number: reverb.level)
            try Self.set(settings, "synth.chorus.active", integer: chorus.isEnabled ? 1 : 0)
            try Self.set(settings, "synth.chorus.nr", integer: chorus.voiceCount)
            try Self.set(settings, "synth.chorus.level", number: chorus.level)
            try Self.set(settings, "synth.chorus.speed", number: chorus.speed)
            try Self.set(settings, "synth.chorus.depth", number: chorus.depth)
            // One thread owns the engine at a time (it is non-copyable): FluidSynth's mutex is not needed.
            try Self.set(settings, "synth.threadsafe-api", integer: 0)
            guard FluidSynthLibrary.api.fluid_settings_setstr!(settings, "synth.midi-bank-select", bankSelect) == FLUID_OK else {
                throw .invalidSetting(name: "synth.midi-bank-select", value: bankSelect, range: "gs, gm, xg, mma")
            }
        } catch {
            FluidSynthLibrary.api.delete_fluid_settings!(settings)
            throw error
        }
        guard let synth = FluidSynthLibrary.api.new_fluid_synth!(settings) else {
            FluidSynthLibrary.api.delete_fluid_settings!(settings)
            throw .creationFailed("synthesizer")
        }
        for font in soundFonts {
            let id = FluidSynthLibrary.api.fluid_synth_sfload!(synth, font.path, 0)
            if id == FLUID_FAILED {
                FluidSynthLibrary.api.delete_fluid_synth!(synth)
                FluidSynthLibrary.api.delete_fluid_settings!(settings)
                throw .soundFontLoadFailed(path: font.path, reason: FluidSynthLog.takeFirstError().map(Self.tidy))
            }
            if font.bankOffset != 0 { _ = FluidSynthLibrary.api.fluid_synth_set_bank_offset!(synth, id, Int32(font.bankOffset)) }
        }
        // Channels pick their presets once every font and offset is in place.
        _ = FluidSynthLibrary.api.fluid_synth_program_reset!(synth)
        _ = FluidSynthLibrary.api.fluid_synth_set_interp_method!(synth, -1, Int32(interpolation))
        self.settings = settings
        self.synth = synth
        self.sampleRate = sampleRate
        sysexBuffer = .allocate(capacity: Self.sysexCapacity)
        hasEffects = reverb.isEnabled || chorus.isEnabled
    }

    /// Reverb or chorus is on (FluidSynth does not say whether its tail still sounds).
    public let hasEffects: Bool

    /// FluidSynth fills its global conversion tables on the first `new_fluid_synth`, and a second
    /// thread creating a synth meanwhile goes on with half-filled tables (2.3.1 only guards the
    /// start of that work). A Swift static runs once and makes other threads wait until it is done.
    private static let globalTablesReady: Void = {
        guard let settings = FluidSynthLibrary.api.new_fluid_settings!() else { return }
        if let synth = FluidSynthLibrary.api.new_fluid_synth!(settings) { FluidSynthLibrary.api.delete_fluid_synth!(synth) }
        FluidSynthLibrary.api.delete_fluid_settings!(settings)
    }()

    deinit {
        sysexBuffer.deallocate()
        FluidSynthLibrary.api.delete_fluid_synth!(synth)
        FluidSynthLibrary.api.delete_fluid_settings!(settings)
    }

    public var activeVoiceCount: Int { Int(FluidSynthLibrary.api.fluid_synth_get_active_voice_count!(synth)) }

    public mutating func send(_ message: MidiMessage) {
        let channel = Int32(message.channel)
        let data1 = Int32(message.data1 & 0x7F), data2 = Int32(message.data2 & 0x7F)
        switch message.kind {
        case .noteOff: _ = FluidSynthLibrary.api.fluid_synth_noteoff!(synth, channel, data1)
        case .noteOn: _ = FluidSynthLibrary.api.fluid_synth_noteon!(synth, channel, data1, data2)  // velocity 0 is a note-off
        case .polyphonicPressure: _ = FluidSynthLibrary.api.fluid_synth_key_pressure!(synth, channel, data1, data2)
        case .controlChange: _ = FluidSynthLibrary.api.fluid_synth_cc!(synth, channel, data1, data2)
        case .programChange: _ = FluidSynthLibrary.api.fluid_synth_program_change!(synth, channel, data1)
        case .channelPressure: _ = FluidSynthLibrary.api.fluid_synth_channel_pressure!(synth, channel, data1)
        case .pitchBend: _ = FluidSynthLibrary.api.fluid_synth_pitch_bend!(synth, channel, Int32(message.pitchBendValue))
        case .system:
            if message == .systemReset {
                _ = FluidSynthLibrary.api.fluid_synth_system_reset!(synth)
            } else if message.isSysexPiece {
                receiveSysex(message.data1)
                receiveSysex(message.data2)
            }
        }
    }

    /// Gathers sysex bytes; at F7 hands the message to `fluid_synth_sysex`.
    private mutating func receiveSysex(_ byte: UInt8) {
        if byte == 0xF0 {
            sysexLength = 0
            sysexReceiving = true
        } else if !sysexReceiving || byte >= 0xF8 {
            return  // outside a message, or a real-time byte (the pieces' padding among them)
        } else if byte == 0xF7 {
            sysexReceiving = false
            _ = FluidSynthLibrary.api.fluid_synth_sysex!(synth, sysexBuffer, Int32(sysexLength), nil, nil, nil, 0)
        } else if byte >= 0x80 || sysexLength >= Self.sysexCapacity {
            sysexReceiving = false
        } else {
            sysexBuffer[sysexLength] = CChar(bitPattern: byte)
            sysexLength += 1
        }
    }

    public mutating func render(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frameCount: Int) {
        var done = 0
        while done < frameCount {
            // fluid_synth_write_float takes an Int32 length; it buffers partial 64-frame blocks itself.
            let count = min(frameCount - done, 1 << 20)
            _ = FluidSynthLibrary.api.fluid_synth_write_float!(synth, Int32(count), left + done, 0, 1, right + done, 0, 1)
            done += count
        }
    }

    private static func set(_ settings: OpaquePointer, _ name: String, number: Double) throws(FluidSynthError) {
        guard FluidSynthLibrary.api.fluid_settings_setnum!(settings, name, number) == FLUID_OK else {
            var low = 0.0, high = 0.0
            FluidSynthLibrary.api.fluid_settings_getnum_range!(settings, name, &low, &high)
            throw .invalidSetting(name: name, value: format(number), range: "\(format(low))...\(format(high))")
        }
    }

    private static func set(_ settings: OpaquePointer, _ name: String, integer: Int) throws(FluidSynthError) {
        guard let value = Int32(exactly: integer), FluidSynthLibrary.api.fluid_settings_setint!(settings, name, value) == FLUID_OK else {
            var low: Int32 = 0, high: Int32 = 0
            FluidSynthLibrary.api.fluid_settings_getint_range!(settings, name, &low, &high)
            throw .invalidSetting(name: name, value: "\(integer)", range: "\(low)...\(high)")
        }
    }

    /// Whole numbers without a trailing ".0", as a user would type them.
    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// FluidSynth's messages name the C function they come from; the user needs only the reason.
    private static func tidy(_ message: String) -> String {
        var text = Substring(message)
        while text.last == "\n" || text.last == " " { text = text.dropLast() }
        if let colon = text.firstRange(of: "(): ") { text = text[colon.upperBound...] }
        return String(text)
    }
}
