import CALSA
import Glibc

/// Opens `device` for playback and starts it with nothing written: with stop_threshold at the
/// boundary the PCM never stops for lack of data, so its period interrupts tick forever.
func runClock(device: String, period: Int, periods: Int, rate: Int) -> Never {
    func check(_ result: Int32, _ what: String) {
        if result < 0 { fail("\(device): \(what): \(String(cString: snd_strerror(result)))") }
    }
    var pcm: OpaquePointer?
    check(snd_pcm_open(&pcm, device, SND_PCM_STREAM_PLAYBACK, 0), "cannot open")

    var hw: OpaquePointer?
    snd_pcm_hw_params_malloc(&hw)
    check(snd_pcm_hw_params_any(pcm, hw), "no hardware parameters")
    check(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "access")
    check(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE), "format S16_LE")
    check(snd_pcm_hw_params_set_channels(pcm, hw, 2), "2 channels")
    check(snd_pcm_hw_params_set_rate(pcm, hw, UInt32(rate), 0), "rate \(rate)")
    check(snd_pcm_hw_params_set_period_size(pcm, hw, snd_pcm_uframes_t(period), 0), "period \(period)")
    check(snd_pcm_hw_params_set_buffer_size(pcm, hw, snd_pcm_uframes_t(period * periods)), "buffer \(period * periods)")
    check(snd_pcm_hw_params(pcm, hw), "hw_params")

    var sw: OpaquePointer?
    snd_pcm_sw_params_malloc(&sw)
    check(snd_pcm_sw_params_current(pcm, sw), "sw_params_current")
    var boundary: snd_pcm_uframes_t = 0
    check(snd_pcm_sw_params_get_boundary(sw, &boundary), "boundary")
    check(snd_pcm_sw_params_set_stop_threshold(pcm, sw, boundary), "stop_threshold")
    check(snd_pcm_sw_params_set_silence_threshold(pcm, sw, 0), "silence_threshold")
    check(snd_pcm_sw_params_set_silence_size(pcm, sw, boundary), "silence_size")
    check(snd_pcm_sw_params(pcm, sw), "sw_params")
    check(snd_pcm_prepare(pcm), "prepare")
    check(snd_pcm_start(pcm), "start")

    print("clock: running device=\(device) period=\(period) periods=\(periods) rate=\(rate)")
    fflush(stdout)
    while true { pause() }   // SIGTERM/SIGINT end the process; closing the fd stops the PCM
}
