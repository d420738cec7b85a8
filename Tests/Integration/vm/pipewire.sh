# PipeWire on a real ALSA device (issue 18), sourced by guest after jack.sh (it reuses
# latency_json, latency_summary, within, seq_port, start_clock, latency_loopback, and jack.sh's
# measure_and_stop, readout_figures, against_fluidsynth). A PipeWire
# daemon of the scenario's own, with no session manager (a configuration after Debian's
# minimal.conf), owns hw:Loopback,0,0 as an ALSA sink at 48 kHz and a 64-frame quantum;
# `pw-jack attacca play --driver jack` is a node of its graph (PipeWire's libjack), takes the
# hi-hat note-ons from the ALSA sequencer and auto-connects to the sink's ports. Measured by the
# loopback (`attacca latency --loopback`, onsets captured from hw:Loopback,1,0) and by its own
# instrumentation, as for jackd.

pw_pid="" pw_dir="" pw_log=""
# pw_start: the daemon on the loopback's playback side (once: both players are measured on the
# same daemon, one after the other); its output in $out/pipewire.log.
pw_start() {
    [ -n "$pw_pid" ] && alive "$pw_pid" && return 0
    pw_log=$out/pipewire.log
    start_clock 64 || start_clock 64 || { why="the dummy clock did not start"; return 1; }
    pw_dir=$(mktemp -d)
    # Debian's configurations raise the minimum quantum to 1024 in a VM (vm.overrides): this one
    # has none. The sink: ALSA periods of 64 frames, no headroom, not suspended when idle.
    cat > "$pw_dir/pipewire.conf" <<'EOF'
context.properties = {
    core.daemon = true
    core.name = pipewire-0
    default.clock.rate = 48000
    default.clock.quantum = 64
    default.clock.min-quantum = 16
    default.clock.max-quantum = 2048
    link.max-buffers = 16
}
context.spa-libs = {
    audio.convert.* = audioconvert/libspa-audioconvert
    api.alsa.* = alsa/libspa-alsa
    support.* = support/libspa-support
}
context.modules = [
    { name = libpipewire-module-rt args = { nice.level = -11 rt.prio = 70 } flags = [ ifexists nofail ] }
    { name = libpipewire-module-protocol-native }
    { name = libpipewire-module-metadata }
    { name = libpipewire-module-spa-node-factory }
    { name = libpipewire-module-client-node }
    { name = libpipewire-module-access args = { } }
    { name = libpipewire-module-adapter }
    { name = libpipewire-module-link-factory }
]
context.objects = [
    { factory = metadata args = { metadata.name = default } }
    { factory = spa-node-factory
        args = { factory.name = support.node.driver node.name = Dummy-Driver node.group = pipewire.dummy priority.driver = 20000 } }
    { factory = adapter
        args = {
            factory.name = api.alsa.pcm.sink
            node.name = "system"
            node.description = "system"
            media.class = "Audio/Sink"
            api.alsa.path = "hw:Loopback,0,0"
            api.alsa.period-size = 64
            api.alsa.headroom = 0
            audio.rate = 48000
            audio.channels = 2
            audio.position = [ FL FR ]
            priority.driver = 30000
            node.suspend-on-idle = false
            resample.disable = true
            channelmix.disable = true
            adapter.auto-port-config = { mode = dsp monitor = false control = false position = preserve }
        }
    }
]
EOF
    PIPEWIRE_RUNTIME_DIR=$pw_dir pipewire -c "$pw_dir/pipewire.conf" > "$pw_log" 2>&1 < /dev/null &
    pw_pid=$!
    wait_for 30 "pipewire's socket" eval '[ -S "$pw_dir/pipewire-0" ] || ! alive $pw_pid'
    alive "$pw_pid" || { why="pipewire exited: $(tail -1 "$pw_log")"; pw_pid=""; return 1; }
}
pw_stop() {
    stop "$pw_pid"; pw_pid=""
    rm -rf "$pw_dir"
    wait_for 10 "loopback free" pcm_closed Loopback/pcm0p/sub0
}
# pw_jack CMD...: CMD on the daemon through PipeWire's libjack (pw-jack execs it), asking for the
# 64-frame quantum. XDG_RUNTIME_DIR stays the guest's: `attacca latency` finds the player there.
pw_jack() { PIPEWIRE_RUNTIME_DIR=$pw_dir PIPEWIRE_QUANTUM=64/48000 pw-jack "$@"; }

# pw_attacca: pw-jack attacca play --driver jack, measured by the loopback and by itself.
# The readout counts the sink's latency as PipeWire reports it on the JACK ports; the sink itself
# settles per start at one of a few fill levels. Nine runs: the readout p50 +0.10 to +0.23 ms from
# the loopback five times (loopback 1.81-1.93 ms), +0.96 to +1.10 ms four times (loopback
# 0.75-0.84 ms). Asserted: within 1.5 periods; reported: the difference.
pw_attacca() {
    local tag=pipewire-attacca-64 pid
    pw_start || return 1
    # Not through pw_jack: $! must be attacca itself (pw-jack execs it), for SIGINT.
    PIPEWIRE_RUNTIME_DIR=$pw_dir PIPEWIRE_QUANTUM=64/48000 pw-jack "$attacca" play --driver jack --soundfont "$sf" \
        --reverb off --chorus off > "$out/$tag.out" 2> "$out/$tag.err" < /dev/null &
    pid=$!
    wait_for 60 "attacca's ports connected" eval 'pw_jack jack_lsp -c 2>/dev/null | grep -q "^   attacca:out_L" || ! alive $pid'
    alive "$pid" || { why="pw-jack attacca play --driver jack exited: $(tail -1 "$out/$tag.err")"; pw_stop; return 1; }
    note "pipewire: $(grep -E 'frames a cycle|connected' "$out/$tag.err" | head -3 | tr '\n' ' ')"
    pw_measure "$tag" "$pid" "PipeWire 64" 2.0
}

# pw_native: `attacca play --driver pipewire`, Attacca's own PipeWire node (pw_filter), its
# outputs linked to the sink by itself (`--pipewire-link system`: this daemon has no session
# manager), the same stimulus and loopback as pw_attacca. Its readout takes the sink's fill level
# (the ALSA driver's clock.delay) where PipeWire's JACK gives a fixed port latency. The readout's
# difference is reported, not asserted: in two runs of eight (one of them CI's) the sink started
# with 11-50 ms more delay than its own clock.delay said, for up to 13 notes, then fell back to
# 1.3-2.5 ms (loopback p50 12.3 ms against the readout's 1.95 ms once). Asserted: every note heard.
pw_native() {
    local tag=pipewire-native-64 pid
    pw_start || return 1
    PIPEWIRE_RUNTIME_DIR=$pw_dir "$attacca" play --driver pipewire --pipewire-link system --period 64 --soundfont "$sf" \
        --reverb off --chorus off > "$out/$tag.out" 2> "$out/$tag.err" < /dev/null &
    pid=$!
    wait_for 60 "attacca's outputs linked" eval 'grep -q "linked attacca:out_R" "$out/$tag.err" || ! alive $pid'
    alive "$pid" || { why="attacca play --driver pipewire exited: $(tail -1 "$out/$tag.err")"; pw_stop; return 1; }
    note "pipewire native: $(grep -E 'frames a cycle|linked' "$out/$tag.err" | head -3 | tr '\n' ' ')"
    pw_measure "$tag" "$pid" "PipeWire native 64" ""
}

# pw_measure TAG PID LABEL LIMIT: with the player PID on the sink, the hi-hats by the loopback and
# by its own readout; every note heard, at most 2 xruns, the two p50s at most LIMIT ms apart (when
# LIMIT is not empty). The sink starts when
# the player is linked, and its rate matching settles in about a second (notes sent at once came
# 3-50 ms late, in the first run of the native node): measured after 2 s.
pw_measure() {
    local tag=$1 pid=$2 label=$3 limit=$4 port loop inst xruns heard a b ok=0
    wait_for 10 "the sink running" pcm_running Loopback/pcm0p/sub0 \
        || { why="hw:Loopback,0,0 is not running (see $(basename "$pw_log"))"; stop "$pid"; pw_stop; return 1; }
    wait_for 10 "Attacca port" eval '[ -n "$(seq_port Attacca)" ]' || { why="no sequencer client 'Attacca'"; stop "$pid"; pw_stop; return 1; }
    port=$(seq_port Attacca)
    note "pipewire: the sink's ALSA period $(hw_param Loopback/pcm0p/sub0 period_size) frames, buffer $(hw_param Loopback/pcm0p/sub0 buffer_size)"
    sleep 2
    measure_and_stop "$tag" "$pid" "$port" || ok=1
    note "pipewire: the sink with attacca gone: $(head -1 /proc/asound/Loopback/pcm0p/sub0/status)"
    [ $ok = 0 ] || return 1
    loop=$out/$tag-loopback.json inst=$out/$tag-instrumentation.json
    echo "attacca $label: loopback $(latency_summary "$loop"); instrumentation $(latency_summary "$inst"); attacca $(grep -E '^xruns:' "$out/$tag.err" | tail -1)" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
    xruns=$(grep -E '^xruns: [0-9]+$' "$out/$tag.err" | tail -1 | cut -d' ' -f2)
    figure "pipewire: attacca $label: ${xruns:-?} xruns"
    readout_figures "$label" "$loop" "$inst"
    [ -n "$xruns" ] && [ "$xruns" -le 2 ] || { why="attacca reports ${xruns:-no} xruns"; return 1; }
    heard=$(latency_heard "$loop")
    [ "${heard% *}" = 0 ] || { why="the loopback did not hear ${heard% *} notes"; return 1; }
    [ -n "$limit" ] || return 0
    a=$(latency_json "$loop" total.p50); b=$(latency_json "$inst" total.p50)
    within "$a" "$b" "$limit" || { why="total.p50: loopback $a ms vs instrumentation $b ms, more than $limit ms apart"; return 1; }
}

# pw_fluidsynth: FluidSynth's JACK driver on the same daemon (Debian's FluidSynth 2.3.1 has no
# PipeWire driver: `-a help` lists alsa, file, jack, oss, pulseaudio, sdl2), the same stimulus
# and loopback.
pw_fluidsynth() {
    local tag=pipewire-fluidsynth-64 pid port
    pw_start || return 1
    PIPEWIRE_RUNTIME_DIR=$pw_dir PIPEWIRE_QUANTUM=64/48000 pw-jack fluidsynth -is -a jack -m alsa_seq \
        -o audio.jack.autoconnect=1 -r 48000 -o audio.sample-format=float -o synth.reverb.active=0 \
        -o synth.chorus.active=0 "$sf" > "$out/$tag.out" 2> "$out/$tag.err" < /dev/null &
    pid=$!
    wait_for 60 "fluidsynth's ports connected" eval 'pw_jack jack_lsp -c 2>/dev/null | grep -q "^   fluidsynth:" || ! alive $pid'
    alive "$pid" || { why="pw-jack fluidsynth -a jack exited: $(tail -1 "$out/$tag.err")"; pw_stop; return 1; }
    wait_for 10 "the sink running" pcm_running Loopback/pcm0p/sub0 \
        || { why="hw:Loopback,0,0 is not running (see $(basename "$pw_log"))"; stop "$pid"; pw_stop; return 1; }
    wait_for 10 "fluidsynth port" eval '[ -n "$(seq_port "FLUID Synth")" ]' || { why="no FLUID Synth port"; stop "$pid"; pw_stop; return 1; }
    port=$(seq_port "FLUID Synth")
    latency_loopback "$tag" "$port" 64 64; local ok=$?
    stop "$pid"
    [ $ok = 0 ] || return 1
    echo "fluidsynth PipeWire 64: loopback $(latency_summary "$out/$tag-loopback.json")" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
}

# pw_against_fluidsynth: the two p50s of the same run on the same daemon, reported only. Each
# player starts the sink anew (it stops between them), and PipeWire's sink settles at one of two
# fill levels per start: Attacca's loopback p50 over nine runs 1.81-1.93 ms five times and
# 0.75-0.84 ms four times; FluidSynth's 1.86-2.10 ms seven times in eight, 1.22 once. Attacca 4 %
# above FluidSynth once (1.926 against 1.861), so not even "no more than 5 % above" holds for
# sure, as it does on jackd.
pw_against_fluidsynth() { against_fluidsynth "PipeWire 64" pipewire; }

pipewire_scenarios() {
    command -v pipewire > /dev/null && command -v pw-jack > /dev/null \
        || { skip pipewire/attacca-64 "pipewire or pw-jack is not installed"; skip pipewire/attacca-native-64 "same"; skip pipewire/fluidsynth-64 "same";
             skip pipewire/attacca-against-fluidsynth "same"; return 0; }
    touch "$out/latency.txt"
    check pipewire/attacca-64 pw_attacca
    check pipewire/attacca-native-64 pw_native
    check pipewire/fluidsynth-64 pw_fluidsynth
    check pipewire/attacca-against-fluidsynth pw_against_fluidsynth
    pw_stop
    start_clock 64
}
