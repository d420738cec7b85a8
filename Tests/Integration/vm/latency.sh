# Note-on-to-sound latency (issue #5), sourced by guest after scenarios.sh (it reuses play_start,
# play_stop, start_clock, seq_port). One boot measures, by the same loopback method
# (`attacca latency --loopback`: note-ons to a sequencer port, onsets captured from
# hw:Loopback,1,0), Attacca at 64, 32 and 16 frames x 2 in both latency modes and FluidSynth at
# `-z 64 -c 2`; for Attacca it also reads the player's own instrumentation (`attacca latency
# --json`) and asserts that the two agree within one period. Figures land in $out/latency.txt.

# 20 notes a configuration: each takes ~3.5 min of real time under TCG here (40 would push the
# whole harness past its 2400 s limit).
latency_notes=20
# The stimulus: a closed hi-hat (GM drum kit, channel 10, key 42): an instant attack, a short tail.
latency_stimulus=(--channel 10 --key 42 --notes "$latency_notes")

# latency_json FILE KEY.PATH: one number from a JSON report (python3 from the host's userspace).
latency_json() {
    python3 -c 'import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value[key] if value is not None else None
print(value if value is not None else "")' "$1" "$2"
}
# latency_summary FILE: "p50 .. p90 .. p99 .. max .. jitter .. ms (N notes)".
latency_summary() {
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1])); t = r["total"] or {}
print("min %.3f p50 %.3f p90 %.3f p99 %.3f max %.3f jitter %.3f ms (%d notes, %d unmeasured)" % (
    t.get("minimum", 0), t.get("p50", 0), t.get("p90", 0), t.get("p99", 0), t.get("maximum", 0), t.get("jitter", 0),
    r["notes"], r["unmeasured"]))' "$1"
}
# within A B LIMIT: |A - B| <= LIMIT.
within() { awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= l) }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# latency_loopback TAG TARGET PERIOD TARGET_PERIOD: runs the loopback measurement into $out/TAG-loopback.json.
latency_loopback() {
    local tag=$1 target=$2 period=$3 target_period=$4
    "$attacca" latency --loopback --target "$target" --capture hw:Loopback,1,0 --period "$period" \
        --target-period "$target_period" --target-periods 2 "${latency_stimulus[@]}" --json \
        > "$out/$tag-loopback.json" 2> "$out/$tag-loopback.err" \
        || { why="attacca latency --loopback failed: $(tail -1 "$out/$tag-loopback.err")"; return 1; }
    local notes; notes=$(latency_json "$out/$tag-loopback.json" notes)
    [ "${notes:-0}" -ge $(( latency_notes * 9 / 10 )) ] || { why="the loopback heard only ${notes:-0} of $latency_notes notes"; return 1; }
}

# latency_attacca PERIOD MODE: Attacca at PERIOD x 2 in MODE, by loopback and by its instrumentation.
latency_attacca() {
    local period=$1 mode=$2
    local tag=latency-attacca-$period-$mode
    local period_ms; period_ms=$(awk -v p="$period" 'BEGIN { print p / 48 }')
    # Once more on failure: switching the clock's period has been seen to time out once.
    start_clock "$period" || start_clock "$period" || { why="the dummy clock did not start at $period frames"; return 1; }
    play_start "$tag" "$period" native --latency-mode "$mode" "${no_effects[@]}" || return 1
    if ! "$attacca" latency --reset --once > /dev/null 2> "$out/$tag-reset.err"; then
        why="attacca latency --reset: $(tail -1 "$out/$tag-reset.err")"; play_stop; return 1
    fi
    latency_loopback "$tag" "$play_port" "$period" "$period" || { play_stop; return 1; }
    "$attacca" latency --json > "$out/$tag-instrumentation.json" 2> "$out/$tag-instrumentation.err" \
        || { why="attacca latency --json: $(tail -1 "$out/$tag-instrumentation.err")"; play_stop; return 1; }
    play_stop || { why="exit status $play_status after SIGINT"; return 1; }
    local loop=$out/$tag-loopback.json inst=$out/$tag-instrumentation.json
    local lead; lead=$(latency_json "$inst" renderLeadMilliseconds)
    echo "attacca $period x 2 $mode: loopback $(latency_summary "$loop"); instrumentation $(latency_summary "$inst")${lead:+; render lead $lead ms}" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
    grep -qx 'xruns: 0' "$play_log.err" || { why="attacca reports $(grep -E '^xruns:' "$play_log.err" | tail -1)"; return 1; }
    local key a b
    for key in total.p50 total.p99; do
        a=$(latency_json "$loop" "$key"); b=$(latency_json "$inst" "$key")
        within "$a" "$b" "$period_ms" || { why="$key: loopback $a ms vs instrumentation $b ms, more than one period ($period_ms ms) apart"; return 1; }
    done
    if [ "$mode" = lowest ]; then
        # The goal: max within 1.5 periods of the floor (one period queued plus one being played).
        local max limit
        max=$(latency_json "$loop" total.maximum); limit=$(awk -v p="$period_ms" 'BEGIN { print 3.5 * p }')
        below "$max" "$limit" || { why="max $max ms is beyond the floor + 1.5 periods ($limit ms)"; return 1; }
    else
        # The issue's goal, jitter (p99 - p1) under 0.1 ms, asserted on the instrumentation (what
        # the player placed and when the device's clock says it was heard): one note of 20 at 2 x 16
        # came 0.144 ms late by both measures until f469d53 took the slow work off the path
        # between reading an event and the ring (since: 0.016 ms). On the loopback a stray capture
        # onset has been seen (0.87 ms early once, with this scenario first), and with 20 notes
        # p99 and p1 are the extremes, so there it is reported, and the middle asserted (p90 - p50
        # under 0.05 ms; `lowest` measures 0.13 ms at 2 x 16 and 0.5 ms at 2 x 64).
        local jitter inst_jitter p50 p90 spread
        jitter=$(latency_json "$loop" total.jitter); inst_jitter=$(latency_json "$inst" total.jitter)
        p50=$(latency_json "$loop" total.p50); p90=$(latency_json "$loop" total.p90)
        spread=$(awk -v a="$p90" -v b="$p50" 'BEGIN { printf "%.3f", a - b }')
        figure "latency: attacca ${period}x2 constant: jitter (p99 - p1) $(awk -v j="$inst_jitter" 'BEGIN { printf "%.3f", j }') ms by instrumentation, $(awk -v j="$jitter" 'BEGIN { printf "%.3f", j }') ms by loopback (goal under 0.1 ms), loopback p90 - p50 $spread ms"
        below "$inst_jitter" 0.1 || { why="constant mode: instrumentation jitter (p99 - p1) is $inst_jitter ms, not under 0.1 ms"; return 1; }
        below "$spread" 0.05 || { why="constant mode: p90 - p50 is $spread ms, not under 0.05 ms"; return 1; }
    fi
}

# latency_fluidsynth_start TAG: FluidSynth at -z 64 -c 2 on the 64-frame clock (float samples: its
# S16 output is dithered, and the onsets walk back to digital silence), effects off; sets $pid and
# $port (its sequencer port).
latency_fluidsynth_start() {
    local tag=$1
    start_clock 64 || { why="the dummy clock did not start"; return 1; }
    fluidsynth -is -a alsa -m alsa_seq -o audio.alsa.device=hw:Loopback,0,0 -z 64 -c 2 -r 48000 \
        -o audio.sample-format=float -o synth.reverb.active=0 -o synth.chorus.active=0 \
        "$sf" > "$out/$tag.out" 2> "$out/$tag.err" < /dev/null &
    pid=$!
    wait_for 60 "fluidsynth playing" pcm_running Loopback/pcm0p/sub0 || { why="fluidsynth did not start (see $tag.err)"; stop "$pid"; return 1; }
    wait_for 10 "fluidsynth port" eval '[ -n "$(seq_port "FLUID Synth")" ]' || { why="no FLUID Synth port"; stop "$pid"; return 1; }
    port=$(seq_port "FLUID Synth")
}

# latency_fluidsynth: FluidSynth with the hi-hat, same loopback.
latency_fluidsynth() {
    local tag=latency-fluidsynth-64 pid port
    latency_fluidsynth_start "$tag" || return 1
    latency_loopback "$tag" "$port" 64 64; local ok=$?
    stop "$pid"
    wait_for 10 "loopback free" pcm_closed Loopback/pcm0p/sub0
    [ $ok = 0 ] || return 1
    echo "fluidsynth 64 x 2: loopback $(latency_summary "$out/$tag-loopback.json")" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
}

# Against FluidSynth, same method, same run: the issue's goal, Attacca's p50 at most a third of
# FluidSynth's at 2 x 64, asserted there and at 2 x 16 (which FluidSynth refuses). Rendering at
# the wake-up, `lowest` could not go below 1.5 periods (2.0 ms at 64 frames; 0.58 of FluidSynth's
# 3.58 ms); with the render lead (`attacca play --render-lead auto`, the default) a note waits
# half a period plus the lead.
latency_goal() {
    local ours ours16 theirs
    ours=$(latency_json "$out/latency-attacca-64-lowest-loopback.json" total.p50)
    ours16=$(latency_json "$out/latency-attacca-16-lowest-loopback.json" total.p50)
    theirs=$(latency_json "$out/latency-fluidsynth-64-loopback.json" total.p50)
    [ -n "$ours" ] && [ -n "$ours16" ] && [ -n "$theirs" ] || { why="a measurement is missing"; return 1; }
    local ratio ratio16
    ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
    ratio16=$(awk -v a="$ours16" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
    echo "p50 against FluidSynth 2 x 64 ($theirs ms): Attacca 2 x 64 $ours ms ($ratio), 2 x 16 $ours16 ms ($ratio16)" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
    awk -v a="$ours" -v b="$theirs" 'BEGIN { exit !(a * 3 <= b) }' \
        || { why="Attacca p50 $ours ms at 2 x 64 is more than a third of FluidSynth's $theirs ms"; return 1; }
    awk -v a="$ours16" -v b="$theirs" 'BEGIN { exit !(a * 3 <= b) }' \
        || { why="Attacca p50 $ours16 ms at 2 x 16 is more than a third of FluidSynth's $theirs ms"; return 1; }
    # The same captures by the plain onset (first sample above 0.003, timed by the status read after
    # it: docs/LATENCY.md): a third there too.
    local level level16 their_level
    level=$(latency_json "$out/latency-attacca-64-lowest-loopback.json" levelOnset.p50)
    level16=$(latency_json "$out/latency-attacca-16-lowest-loopback.json" levelOnset.p50)
    their_level=$(latency_json "$out/latency-fluidsynth-64-loopback.json" levelOnset.p50)
    [ -n "$level" ] && [ -n "$level16" ] && [ -n "$their_level" ] || { why="a plain-onset measurement is missing"; return 1; }
    echo "p50 by the plain onset against FluidSynth 2 x 64 ($their_level ms): Attacca 2 x 64 $level ms ($(awk -v a="$level" -v b="$their_level" 'BEGIN { printf "%.2f", a / b }')), 2 x 16 $level16 ms ($(awk -v a="$level16" -v b="$their_level" 'BEGIN { printf "%.2f", a / b }'))" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
    figure "latency: $(tail -1 "$out/latency.txt")"
    awk -v a="$level" -v b="$their_level" 'BEGIN { exit !(a * 3 <= b) }' \
        || { why="by the plain onset, Attacca p50 $level ms at 2 x 64 is more than a third of FluidSynth's $their_level ms"; return 1; }
    awk -v a="$level16" -v b="$their_level" 'BEGIN { exit !(a * 3 <= b) }' \
        || { why="by the plain onset, Attacca p50 $level16 ms at 2 x 16 is more than a third of FluidSynth's $their_level ms"; return 1; }
}

# --- Issue 19: what real keyboards and other programs send, with sustained pitched notes ---
# The piano (channel 1, program 0), keys 60-71 in turn, velocity 127, each released as soon as it is
# heard: the stimulus of the independent probe that heard only 31-33 of 40 notes. Sent three ways
# (`attacca latency --loopback --input`): direct unscheduled events from a second sequencer client,
# events scheduled on that client's queue (a sequencer player), raw MIDI bytes into snd-virmidi (a
# keyboard). Every note must be heard, by both onsets (the loopback's, walked back to where the
# sound left silence, and the plain first sample above 0.003), and none later than the floor plus
# the render lead.
latency_input_notes=40
latency_piano=(--channel 1 --program 0 --key 60-71 --hold 0 --notes "$latency_input_notes")

# latency_heard JSON: "UNHEARD LEVEL_UNHEARD" of a loopback report.
latency_heard() {
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1])); notes = r.get("loopbackNotes") or []
print(r.get("unheard", -1), sum(1 for n in notes if n.get("levelLatency") is None))' "$1"
}
# latency_level_summary JSON: the plain onset's figures.
latency_level_summary() {
    python3 -c 'import json, sys
t = json.load(open(sys.argv[1])).get("levelOnset") or {}
print("p50 %.3f p90 %.3f max %.3f ms" % (t.get("p50", 0), t.get("p90", 0), t.get("maximum", 0)))' "$1"
}

# latency_input PERIOD INPUT: one loopback of the piano stimulus sent by INPUT into the running player.
# Every note must be heard (both onsets), every note-on must reach the player (its own records count
# them), and none may be placed later than the floor plus the render lead, by the player's own
# records. The loopback's figures are reported: on keys 65-69 TimGM6mb's piano sample begins with
# 7-9 ms of exact zeros (FluidSynth's output shows the same), which no synthesizer can take off.
latency_input() {
    local period=$1 input=$2 tag=latency-input-$1-$2 json player
    json=$out/$tag.json player=$out/$tag-player.json
    "$attacca" latency --reset --once > /dev/null 2> "$out/$tag-reset.err" \
        || { why="$input: attacca latency --reset: $(tail -1 "$out/$tag-reset.err")"; return 1; }
    "$attacca" latency --loopback --target "$play_port" --capture hw:Loopback,1,0 --period "$period" \
        --target-period "$period" --target-periods 2 --input "$input" "${latency_piano[@]}" --json \
        > "$json" 2> "$out/$tag.err" || { why="$input: attacca latency --loopback failed: $(tail -1 "$out/$tag.err")"; return 1; }
    "$attacca" latency --json > "$player" 2> "$out/$tag-player.err" \
        || { why="$input: attacca latency --json: $(tail -1 "$out/$tag-player.err")"; return 1; }
    local heard unheard level_unheard placed max lead limit
    heard=$(latency_heard "$json"); unheard=${heard% *}; level_unheard=${heard#* }
    placed=$(latency_json "$player" notes); max=$(latency_json "$player" total.maximum)
    lead=$(latency_json "$player" renderLeadMilliseconds)
    limit=$(awk -v p="$period" -v l="${lead:-0}" 'BEGIN { print 2 * p / 48 + l }')
    echo "attacca $period x 2 lowest, piano by $input: loopback $(latency_summary "$json"); plain onset $(latency_level_summary "$json"); not heard $unheard (plain onset $level_unheard); instrumentation $(latency_summary "$player"); render lead ${lead:-?} ms" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
    figure "latency: attacca ${period}x2 piano by $input: not heard $unheard of $latency_input_notes (plain onset $level_unheard), placed ${placed:-?}, max ${max:-?} ms by the player (floor + lead $limit ms), loopback p50 $(latency_json "$json" total.p50) ms"
    [ "$unheard" = 0 ] && [ "$level_unheard" = 0 ] || { why="$input: $unheard of $latency_input_notes notes not heard ($level_unheard by the plain onset)"; return 1; }
    [ "$placed" = "$latency_input_notes" ] || { why="$input: the player placed ${placed:-no} note-ons of $latency_input_notes"; return 1; }
    below "$max" "$limit" || { why="$input: a note placed $max ms before it was heard, beyond the floor + the render lead ($limit ms)"; return 1; }
}

# latency_inputs PERIOD: attacca at PERIOD x 2, lowest, the default (auto) render lead; the three
# input kinds one after the other into the same player. Float samples (the probe ran S16): TimGM6mb's
# piano spends its first 7-9 ms below one 16-bit step on keys 65-69 (FluidSynth's output too), which
# S16 rounds to digital silence, so only float lets the onset walk back to where the voice began.
latency_inputs() {
    local period=$1 input status=0 reasons=""
    start_clock "$period" || start_clock "$period" || { why="the dummy clock did not start at $period frames"; return 1; }
    play_start "latency-inputs-$period" "$period" native --format FLOAT "${no_effects[@]}" || return 1
    # snd-virmidi's ports are hardware MIDI sources: the player connects them itself.
    wait_for 10 "VirMIDI connected to Attacca" all_virmidi_connected "$play_port" \
        || { why="the player did not connect VirMIDI"; play_stop; return 1; }
    for input in sequencer queue rawmidi; do
        if ! latency_input "$period" "$input"; then status=1; reasons="$reasons${reasons:+; }$why"; fi
    done
    play_stop || { why="exit status $play_status after SIGINT"; return 1; }
    grep -qx 'xruns: 0' "$play_log.err" || { why="attacca reports $(grep -E '^xruns:' "$play_log.err" | tail -1)"; return 1; }
    why=$reasons
    return $status
}

# latency_fluidsynth_piano: FluidSynth at -z 64 -c 2 with the piano stimulus (direct events), the same
# run, so Attacca's p50 can be set against it by both onsets.
latency_fluidsynth_piano() {
    local tag=latency-fluidsynth-piano-64 pid port json
    latency_fluidsynth_start "$tag" || return 1
    json=$out/$tag.json
    "$attacca" latency --loopback --target "$port" --capture hw:Loopback,1,0 --period 64 --target-period 64 \
        --target-periods 2 "${latency_piano[@]}" --json > "$json" 2> "$out/$tag.loopback.err"; local ok=$?
    stop "$pid"
    wait_for 10 "loopback free" pcm_closed Loopback/pcm0p/sub0
    [ $ok = 0 ] || { why="attacca latency --loopback failed: $(tail -1 "$out/$tag.loopback.err")"; return 1; }
    echo "fluidsynth 64 x 2, piano by sequencer: $(latency_summary "$json"); plain onset $(latency_level_summary "$json")" >> "$out/latency.txt"
    note "$(tail -1 "$out/latency.txt")"
    local ours theirs ours_level theirs_level
    ours=$(latency_json "$out/latency-input-64-sequencer.json" total.p50); theirs=$(latency_json "$json" total.p50)
    ours_level=$(latency_json "$out/latency-input-64-sequencer.json" levelOnset.p50); theirs_level=$(latency_json "$json" levelOnset.p50)
    [ -n "$ours" ] && [ -n "$theirs" ] && [ -n "$ours_level" ] && [ -n "$theirs_level" ] || { why="a measurement is missing"; return 1; }
    figure "latency: piano p50 against FluidSynth 2 x 64: loopback onset $ours / $theirs ms ($(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')), plain onset $ours_level / $theirs_level ms ($(awk -v a="$ours_level" -v b="$theirs_level" 'BEGIN { printf "%.2f", a / b }'))"
    # Reported, with Attacca below FluidSynth by both onsets asserted: the third is asserted on the
    # hi-hat (latency_goal). The piano's onsets carry what the samples themselves take before they
    # sound (leading zeros, 7-9 ms on keys 65-69) and to rise to 0.003, the same for both players,
    # which no synthesizer can take off (docs/LATENCY.md).
    local unheard; unheard=$(latency_heard "$json")
    [ "$unheard" = "0 0" ] || { why="FluidSynth: notes not heard (loopback, plain onset): $unheard"; return 1; }
    awk -v a="$ours" -v b="$theirs" -v c="$ours_level" -v d="$theirs_level" 'BEGIN { exit !(a < b && c < d) }' \
        || { why="Attacca's piano p50 ($ours ms, plain $ours_level ms) is not below FluidSynth's ($theirs ms, plain $theirs_level ms)"; return 1; }
}

latency_scenarios() {
    # The player's socket directory: guest-local and private (the results folder is a shared mount).
    XDG_RUNTIME_DIR=$(mktemp -d) && export XDG_RUNTIME_DIR
    : > "$out/latency.txt"
    local period mode
    for period in 64 32 16; do
        for mode in lowest constant; do
            check "latency/attacca-${period}x2-$mode" latency_attacca "$period" "$mode"
            [ -z "$play_pid" ] || play_stop
        done
    done
    check latency/fluidsynth-64x2 latency_fluidsynth
    for period in 64 32 16; do
        check "latency/inputs-${period}x2" latency_inputs "$period"
        [ -z "$play_pid" ] || play_stop
    done
    check latency/fluidsynth-piano-64x2 latency_fluidsynth_piano
    check latency/attacca-p50-against-fluidsynth latency_goal
    start_clock 64
}
