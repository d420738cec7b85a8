# The scenarios of `attacca play` (issue #4), sourced by guest. Each step sets $why when it fails.

play_pid="" play_port="" play_log=""
# play_start TAG PERIOD ENGINE [extra options]: starts attacca play on the loopback and waits
# until its PCM runs and its sequencer port exists. Reverb and chorus are on by default (issue 15);
# steps that compare against an offline render or FluidSynth (run with effects off) pass
# "${no_effects[@]}" to compare like with like.
no_effects=(--reverb off --chorus off)
play_start() {
    local tag=$1 period=$2 engine=$3; shift 3
    play_log=$out/play-$tag
    "$attacca" play --device hw:Loopback,0,0 --period "$period" --periods 2 --rate 48000 \
        --engine "$engine" --soundfont "$sf" --quiet "$@" > "$play_log.out" 2> "$play_log.err" < /dev/null &
    play_pid=$!
    play_port=""
    wait_for 60 "attacca playing" eval 'pcm_running Loopback/pcm0p/sub0 || ! alive $play_pid'
    alive "$play_pid" || { wait "$play_pid"; why="attacca play exited ($?): $(tail -1 "$play_log.err")"; return 1; }
    pcm_running Loopback/pcm0p/sub0 || { why="hw:Loopback,0,0 is not running after 60 s"; return 1; }
    wait_for 10 "Attacca port" eval '[ -n "$(seq_port Attacca)" ]' || { why="no sequencer client 'Attacca'"; return 1; }
    play_port=$(seq_port Attacca)
}

# play_stop: SIGINT, as Ctrl-C; sets $play_status to the exit status (or "stuck").
play_stop() {
    play_status=stuck
    [ -n "$play_pid" ] || return 1
    kill -INT "$play_pid" 2>/dev/null
    if wait_gone 10 "$play_pid"; then wait "$play_pid"; play_status=$?
    else kill -KILL "$play_pid"; wait "$play_pid" 2>/dev/null; fi
    play_pid=""
    [ "$play_status" = 0 ]
}

# 1. starts at 48 kHz, 2 x 64 frames, auto-connects to VirMIDI; amidi notes sound at their pitch
play_pitch() {
    play_start "$engine" 64 "$engine" "${no_effects[@]}" || return 1
    local p=Loopback/pcm0p/sub0
    [ "$(hw_param $p rate)" = "48000 (48000/1)" ] || [ "$(hw_param $p rate)" = 48000 ] \
        || { why="rate is '$(hw_param $p rate)', not 48000"; return 1; }
    [ "$(hw_param $p period_size)" = 64 ] || { why="period_size is $(hw_param $p period_size), not 64"; return 1; }
    [ "$(hw_param $p buffer_size)" = 128 ] || { why="buffer_size is $(hw_param $p buffer_size), not 128"; return 1; }
    wait_for 10 "auto-connect" all_virmidi_connected "$play_port" \
        || { why="not auto-connected to every VirMIDI port ($(virmidi_ports | tr '\n' ' ')-> $play_port)"; return 1; }
    start_capture "$out/$engine-pitch.wav" 64 || { why="capture did not start"; return 1; }
    amidi_notes 57 69 81; sleep 0.5; stop_capture
    why=$(check_pitches "$out/$engine-pitch.wav" 57 69 81)
}

# 2. a MIDI file through the sequencer: the same notes in order as the offline render
sequencer_melody() {
    alive "${play_pid:-0}" || { why="attacca play is not running"; return 1; }
    local offline=$out/melody-offline-$engine.wav
    [ -s "$offline" ] || { why="no offline render $offline (see render-$engine.log)"; return 1; }
    start_capture "$out/$engine-melody.wav" 64 || { why="capture did not start"; return 1; }
    aplaymidi -p "$play_port" "$out/melody.mid"; sleep 0.5; stop_capture
    why=$(same_melody "$out/$engine-melody.wav" "$offline")
}

# 4. hot-plug: snd-virmidi unloaded and reloaded while playing; Attacca reconnects and plays on
hotplug_virmidi() {
    alive "${play_pid:-0}" || { why="attacca play is not running"; return 1; }
    if ! rmmod snd_virmidi 2> "$out/rmmod.err"; then
        note "rmmod refused ($(cat "$out/rmmod.err")); removing the subscriptions first"
        for src in $(virmidi_ports); do aconnect -d "$src" "$play_port"; done
        wait_for 10 "rmmod snd_virmidi" rmmod snd_virmidi || { why="cannot unload snd-virmidi: $(cat "$out/rmmod.err")"; return 1; }
    fi
    wait_for 10 "VirMIDI gone" eval '[ -z "$(virmidi_ports)" ]' || { why="VirMIDI ports still there after rmmod"; return 1; }
    sleep 0.2   # keep playing without the keyboard for a moment (stimulus, not a readiness wait)
    alive "$play_pid" || { why="attacca play exited when snd-virmidi was unloaded"; return 1; }
    modprobe snd-virmidi || { why="modprobe snd-virmidi failed"; return 1; }
    wait_for 10 "VirMIDI back" eval '[ -n "$(virmidi_ports)" ]' || { why="VirMIDI ports did not come back"; return 1; }
    wait_for 10 "reconnect" all_virmidi_connected "$play_port" \
        || { why="did not reconnect to the new VirMIDI ports"; return 1; }
    start_capture "$out/$engine-hotplug.wav" 64 || { why="capture did not start"; return 1; }
    amidi_notes 69; sleep 0.5; stop_capture
    alive "$play_pid" || { why="attacca play exited after the reload"; return 1; }
    why=$(check_pitches "$out/$engine-hotplug.wav" 69)
}

# 5. Ctrl-C while notes sound: exit 0, no process left, the device free again
ctrl_c() {
    alive "${play_pid:-0}" || { why="attacca play is not running"; return 1; }
    local pid=$play_pid
    amidi -p hw:VirMIDI,0 -S '90 3C 64 90 40 64 90 43 64'
    sleep 0.2   # let the chord sound (stimulus)
    play_stop; local status=$play_status
    [ "$status" != stuck ] || { why="still running 10 s after SIGINT (killed)"; return 1; }
    [ "$status" = 0 ] || { why="exit status $status after SIGINT: $(tail -1 "$play_log.err")"; return 1; }
    ! alive "$pid" || { why="process $pid still there"; return 1; }
    wait_for 5 "loopback closed" pcm_closed Loopback/pcm0p/sub0 || { why="hw:Loopback,0,0 still open after exit"; return 1; }
    [ -z "$(seq_port Attacca)" ] || { why="sequencer client Attacca still there"; return 1; }
}

# 2b. a MIDI file given to attacca play: scheduled on Attacca's own sequencer queue, it comes back
# through its input port like a keyboard's notes; it ends by itself (exit 0) once played out, with
# every event received and none dropped, and the same notes in order as the offline render.
play_file() {
    local wav=$out/$engine-play-file.wav status
    play_start "$engine-file" 64 "$engine" "${no_effects[@]}" "$out/melody-late.mid" || return 1
    start_capture "$wav" 64 || { why="capture did not start"; play_stop; return 1; }
    wait_gone 30 "$play_pid" || { why="still playing 30 s after the start of a 4.5 s file"; stop_capture; play_stop; return 1; }
    wait "$play_pid"; status=$?; play_pid=""
    stop_capture
    [ "$status" = 0 ] || { why="exit status $status: $(tail -1 "$play_log.err")"; return 1; }
    ! grep -q warning "$play_log.err" || { why="$(grep warning "$play_log.err" | head -1)"; return 1; }
    figure "$engine attacca play melody-late.mid: $(exit_figures)"
    grep -qx 'events: 24 received, 0 dropped' "$play_log.err" \
        || { why="the file's 24 note events did not all come back through the port: $(exit_figures)"; return 1; }
    why=$(same_melody "$wav" "$out/melody-offline-$engine.wav")
}

# 3. no xruns over the dense passage (128 voices) at PERIOD x 2, reverb and chorus on (the default)
xruns() {
    local period=$1
    local wav=$out/$engine-dense-$period.wav   # a second `local`: in one, $period is not yet set
    start_clock "$period" || { why="the dummy clock did not start at $period frames"; return 1; }
    play_start "$engine-dense-$period" "$period" "$engine" --polyphony 128 || return 1
    start_capture "$wav" "$period" || { why="capture did not start"; play_stop; return 1; }
    local midi=$out/dense.mid
    [ "$period" != 16 ] || midi=$out/dense16.mid   # its own length (run --ci: shorter)
    local t0 t1
    t0=$(date +%s.%N)
    aplaymidi -p "$play_port" "$midi"
    t1=$(date +%s.%N); stop_capture
    play_stop || { why="exit status $play_status after SIGINT"; return 1; }
    local line captured overruns pace
    line=$(grep -E '^xruns: [0-9]+$' "$play_log.err" | tail -1)
    captured=$(analyze "$wav" seconds); overruns=$(grep -c overrun "$wav.err")
    pace=$(awk -v c="$captured" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", c / (b - a) * 100 }')
    figure "$engine dense ${period}x2: ${line:-no xruns line}, $(analyze "$wav" dropouts) silent holes in the capture, $overruns capture overruns, ${captured} s captured around a passage of $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s virtual (${pace} %; under 98 % the device clock fell behind)"
    [ -n "$line" ] || { why="no 'xruns: N' line on stderr"; return 1; }
    [ "$line" = "xruns: 0" ] || { why="attacca reports $line"; return 1; }
    # A saturated guest CPU starves the loopback's timer work too: the device slows down with the
    # player instead of underrunning, so "xruns: 0" proves nothing then. Measured with the
    # fluidsynth engine (whole 64-frame blocks every 2nd/4th period) at 2x32 (capture overruns) and
    # 2x16 (26.3 s captured around a 30.1 s passage); the native engine keeps pace at every size. That case is a SKIP, with figures.
    if [ "$overruns" != 0 ] || awk -v p="$pace" 'BEGIN { exit !(p < 98) }'; then
        why="the guest CPU saturated: ${captured} s captured around the passage (${pace} % of its virtual time), $overruns capture overruns; no xrun can be asserted"
        [ "$engine" = fluidsynth ] && [ "$period" -lt 64 ] && return 3
        return 1
    fi
    no_dropouts "$wav"
}

attacca_scenarios() {
    engine=$1
    check "$engine/play-pitch" play_pitch
    check "$engine/sequencer-melody" sequencer_melody
    check "$engine/hotplug-virmidi" hotplug_virmidi
    check "$engine/ctrl-c" ctrl_c
    [ -z "$play_pid" ] || play_stop
    check "$engine/play-file" play_file
    [ -z "$play_pid" ] || play_stop
    check "$engine/xruns-64x2" xruns 64
    check "$engine/xruns-32x2" xruns 32
    if [ "$engine" = fluidsynth ]; then
        # FluidSynth's engine at 2x16 saturates the emulated CPU: a SKIP in every run so far (no
        # xrun can be asserted then, see xruns), and once (stop 16, CI) the VM died in it, ending
        # the harness. Reported, not run.
        [ -z "$only" ] || [[ fluidsynth/xruns-16x2 =~ $only ]] \
            && skip fluidsynth/xruns-16x2 "not run: FluidSynth's engine at 2x16 saturates the emulated CPU (every run a SKIP; the VM died in it once)"
    else
        check "$engine/xruns-16x2" xruns 16
    fi
    [ -z "$play_pid" ] || play_stop
    start_clock 64
}

# 6. bad input: a clear one-line error naming the culprit and a non-zero exit
# refuses NAME_IN_MESSAGE attacca-play-options...
refuses() {
    local expect=$1 status; shift
    timeout 60 "$attacca" play --soundfont "$sf" --quiet "$@" > "$out/bad.out" 2> "$out/bad.err" < /dev/null
    status=$?
    [ "$status" != 124 ] || { why="still running after 60 s"; return 1; }
    [ "$status" != 0 ] || { why="exit status 0"; return 1; }
    [ "$(grep -c . "$out/bad.err")" = 1 ] || { why="stderr has $(grep -c . "$out/bad.err") lines, not 1: $(head -3 "$out/bad.err" | tr '\n' '|')"; return 1; }
    grep -qF -- "$expect" "$out/bad.err" || { why="the error does not name $expect: $(cat "$out/bad.err")"; return 1; }
    note "refused with $status: $(cat "$out/bad.err")"
}
busy_device() {
    "$probe" clock --device hw:Loopback,0,0 --period 64 > "$out/holder.log" 2>&1 &
    local holder=$!
    wait_for 10 "holder" pcm_running Loopback/pcm0p/sub0 || { stop "$holder"; why="could not occupy hw:Loopback,0,0"; return 1; }
    refuses hw:Loopback,0,0 --device hw:Loopback,0,0; local ok=$?
    stop "$holder"
    return $ok
}
bad_input_scenarios() {
    check bad-input/missing-device refuses hw:9,0 --device hw:9,0
    check bad-input/busy-device busy_device
    check bad-input/missing-port refuses 99:0 --device hw:Loopback,0,0 --connect 99:0
}
