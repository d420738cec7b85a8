import CALSA
import Glibc

/// What a playback PCM accepts, read from its full hardware configuration space without
/// configuring it, for `attacca devices`.
public struct PCMCapabilities: Sendable {
    public var name: String
    /// The device's own description (from the hint list), possibly several lines joined.
    public var description: String
    public var rates: ClosedRange<Int>
    public var channels: ClosedRange<Int>
    public var formats: [PCMFormat]
    public var periodSizes: ClosedRange<Int>
    public var periodCounts: ClosedRange<Int>

    /// Opens `name` without blocking, reads the ranges, closes it.
    public static func probe(_ name: String, description: String = "") throws(ALSAError) -> PCMCapabilities {
        var opened: OpaquePointer?
        try ALSAError.check(snd_pcm_open(&opened, name, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK), "snd_pcm_open",
                            "cannot open PCM device '\(name)'")
        guard let pcm = opened else { throw ALSAError(code: -ENODEV, call: "snd_pcm_open") }
        defer { snd_pcm_close(pcm) }
        var params: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&params) >= 0, let hw = params else { throw ALSAError(code: -ENOMEM, call: "snd_pcm_hw_params_malloc") }
        defer { snd_pcm_hw_params_free(hw) }
        try ALSAError.check(snd_pcm_hw_params_any(pcm, hw), "snd_pcm_hw_params_any")
        _ = snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED)
        var dir: Int32 = 0
        var low: UInt32 = 0, high: UInt32 = 0
        snd_pcm_hw_params_get_rate_min(hw, &low, &dir); snd_pcm_hw_params_get_rate_max(hw, &high, &dir)
        let rates = Int(low)...Int(max(low, high))
        snd_pcm_hw_params_get_channels_min(hw, &low); snd_pcm_hw_params_get_channels_max(hw, &high)
        let channels = Int(low)...Int(max(low, high))
        snd_pcm_hw_params_get_periods_min(hw, &low, &dir); snd_pcm_hw_params_get_periods_max(hw, &high, &dir)
        let periodCounts = Int(low)...Int(max(low, high))
        var lowFrames: snd_pcm_uframes_t = 0, highFrames: snd_pcm_uframes_t = 0
        snd_pcm_hw_params_get_period_size_min(hw, &lowFrames, &dir); snd_pcm_hw_params_get_period_size_max(hw, &highFrames, &dir)
        let periodSizes = Int(lowFrames)...Int(max(lowFrames, highFrames))
        let formats = PCMFormat.allCases.filter { snd_pcm_hw_params_test_format(pcm, hw, $0.alsaFormat) == 0 }
        return PCMCapabilities(name: name, description: description, rates: rates, channels: channels, formats: formats,
                               periodSizes: periodSizes, periodCounts: periodCounts)
    }

    /// The playback PCM names alsa-lib's hint list offers (`hw:CARD=...,DEV=...`, `plughw:...`,
    /// `default`, `null`...), with their descriptions.
    public static func playbackDeviceNames() -> [(name: String, description: String)] {
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) >= 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var result: [(name: String, description: String)] = []
        var index = 0
        while let hint = hints[index] {
            index += 1
            func take(_ key: String) -> String? {
                guard let value = snd_device_name_get_hint(hint, key) else { return nil }
                defer { free(value) }
                return String(cString: value)
            }
            guard let name = take("NAME") else { continue }
            if let direction = take("IOID"), direction != "Output" { continue }
            let description = (take("DESC") ?? "").split(whereSeparator: \.isNewline).joined(separator: ", ")
            result.append((name, description))
        }
        return result
    }
}
