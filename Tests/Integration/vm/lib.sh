# Helpers for the guest side of the VM harness (sourced by guest). Every wait is a bounded poll.
# Expects: $out (results folder), $probe (attacca-probe binary).

note() { echo "[$(date +%s.%N | cut -c1-14)] $*"; }
result() { echo "$1 $2${3:+: $3}" >> "$out/results"; note "$1 $2${3:+: $3}"; }
pass() { result PASS "$1"; }
fail() { result FAIL "$1" "$2"; }
skip() { result SKIP "$1" "$2"; }
# figure NAME: TEXT: a measured figure for the report (run prints OUT/figures at the end).
# (stderr: it is also called inside $(...) whose output is a reason.)
figure() { echo "$*" >> "$out/figures"; note "figure $*" >&2; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND every 20 ms until it succeeds.
wait_for() {
    local limit=$1 what=$2; shift 2
    local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s%N)" -gt "$deadline" ]; then note "timed out after ${limit}s: $what"; return 1; fi
        sleep 0.02
    done
}

# alive PID: the process exists and is not a zombie (an exited child nobody waited for yet).
alive() { local s; s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ -n "$s" ] && [ "${s%% *}" != Z ]; }
# wait_gone SECONDS PID: polls until the process has exited.
wait_gone() { wait_for "$1" "process $2 to exit" eval "! alive $2"; }

# stop PID: SIGTERM, then SIGKILL if it is still there after 5 s. Never fails.
stop() {
    [ -n "${1:-}" ] || return 0
    kill -TERM "$1" 2>/dev/null || return 0
    wait_gone 5 "$1" || kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null || true
}

pcm_status() { cat "/proc/asound/$1/status" 2>/dev/null; }          # e.g. Loopback/pcm0p/sub0
pcm_running() { pcm_status "$1" | grep -q 'state: RUNNING'; }
pcm_closed() { grep -q closed "/proc/asound/$1/status"; }
hw_param() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/asound/$1/hw_params"; }  # hw_param SUBDEV key

# The loopback clock: the dummy card's PCM kept running with the given period.
clock_pid=""
start_clock() {
    stop "$clock_pid"; clock_pid=""
    wait_for 5 "dummy PCM closed" pcm_closed Dummy/pcm0p/sub0 || return 1
    "$probe" clock --device hw:Dummy,0,0 --period "$1" --periods 4 > "$out/clock-$1.log" 2>&1 &
    clock_pid=$!
    wait_for 10 "dummy clock running" pcm_running Dummy/pcm0p/sub0
}

# start_capture FILE PERIOD: records hw:Loopback,1,0 in the format the playback side uses, with
# the period of the loopback clock and a 8192-frame (170 ms) buffer: the recorder runs at normal
# priority beside a SCHED_FIFO player, and with 32 periods of 32 frames (21 ms) it overran while
# attacca counted no xrun (fluidsynth engine, dense 32x2).
capture_pid=""
start_capture() {
    local format
    format=$(hw_param Loopback/pcm0p/sub0 format); format=${format:-S16_LE}
    arecord -q -D hw:Loopback,1,0 -f "$format" -c 2 -r 48000 --period-size="$2" --buffer-size=8192 \
        -t wav "$1" 2> "$1.err" &
    capture_pid=$!
    wait_for 10 "capture running" pcm_running Loopback/pcm1c/sub0
}
stop_capture() {
    [ -n "$capture_pid" ] || return 0
    kill -INT "$capture_pid" 2>/dev/null
    wait_gone 10 "$capture_pid" || kill -KILL "$capture_pid" 2>/dev/null
    wait "$capture_pid" 2>/dev/null; capture_pid=""
}

# analyze WAV KEY: one value from attacca-probe analyze (cached next to the file).
analyze() {
    [ -s "$1.txt" ] || "$probe" analyze "$1" > "$1.txt" 2>&1
    awk -F= -v k="$2" '$1 == k { print $2 }' "$1.txt"
}

# Sequencer: "client:port" of the first port of the first client whose name contains a regex.
seq_port() {
    aconnect -l | awk -v re="$1" '
        /^client [0-9]+:/ { c = $2; sub(":", "", c); name = $0; sub(/^client [0-9]+: ./, "", name)
                            sub(/. \[type=.*$/, "", name); inside = (name ~ re); next }
        inside && /^ +[0-9]+ / { print c ":" $1; exit }'
}
virmidi_ports() { aconnect -l | awk '/^client [0-9]+: .Virtual Raw MIDI/ { c = $2; sub(":", "", c); print c ":0" }'; }
# connected SRC DST: DST's port lists SRC among "Connected From".
connected() {
    aconnect -l | awk -v dst="$2" -v src="$1" '
        /^client [0-9]+:/ { c = $2; sub(":", "", c) }
        /^ +[0-9]+ / { p = c ":" $1 }
        p == dst && /Connected From:/ { line = $0; gsub(/\[[^]]*\]/, "", line); n = split(line, a, /[ ,]+/)
            for (i = 1; i <= n; i++) if (a[i] == src) found = 1 }
        END { exit !found }'
}
all_virmidi_connected() {
    local dst=$1 src ports
    ports=$(virmidi_ports); [ -n "$ports" ] || return 1
    for src in $ports; do connected "$src" "$dst" || return 1; done
}

# amidi_notes KEY...: each key (decimal) on for 0.4 s then off, 0.3 s apart, through VirMIDI's raw device.
amidi_notes() {
    local key
    for key in "$@"; do
        amidi -p hw:VirMIDI,0 -S "$(printf '90 %02X 64' "$key")"
        sleep 0.4   # the note's length: part of the stimulus, not a wait for readiness
        amidi -p hw:VirMIDI,0 -S "$(printf '80 %02X 00' "$key")"
        sleep 0.3
    done
}

# within_percent MEASURED EXPECTED PERCENT
within_percent() { awk -v m="$1" -v e="$2" -v p="$3" 'BEGIN { d = m - e; if (d < 0) d = -d; exit !(m > 0 && d <= e * p / 100) }'; }
key_hz() { awk -v k="$1" 'BEGIN { printf "%.2f", 440 * 2 ^ ((k - 69) / 12) }'; }

# check_pitches WAV KEY...: one onset per key, each pitch within 1 %. Prints why not; the
# largest pitch error goes to the figures.
check_pitches() {
    local wav=$1; shift
    local pitches count i=1 key hz worst=0
    pitches=$(analyze "$wav" pitches)
    count=$(echo "$pitches" | tr ',' '\n' | grep -c .)
    [ "$count" -eq $# ] || { echo "expected $# onsets, found $count (pitches $pitches, peak $(analyze "$wav" peak))"; return 1; }
    for key in "$@"; do
        hz=$(echo "$pitches" | cut -d, -f$i)
        worst=$(awk -v m="$hz" -v e="$(key_hz "$key")" -v w="$worst" 'BEGIN { d = (m - e) / e * 100; if (d < 0) d = -d; printf "%.3f", (d > w ? d : w) }')   # parentheses: a bare > in printf redirects
        within_percent "$hz" "$(key_hz "$key")" 1 || { echo "note $key: measured $hz Hz, expected $(key_hz "$key") Hz ±1%"; return 1; }
        i=$((i + 1))
    done
    figure "$(basename "$wav" .wav): pitch error at most ${worst} % (keys $*: $pitches Hz)"
}

# same_melody LIVE.wav OFFLINE.wav: same notes in the same order, gaps between onsets within 15 ms.
# The gaps are taken between attacks (onsets of the second difference: a held note's beating with
# the next one moves them less), or between onsets where the attacks do not count one per note.
same_melody() {
    local live offline a b count
    live=$(analyze "$1" notes); offline=$(analyze "$2" notes)
    [ -n "$offline" ] || { echo "no notes found in the offline render"; return 1; }
    [ "$live" = "$offline" ] || { echo "notes live [$live] vs offline [$offline]"; return 1; }
    count=$(echo "$live" | tr ',' '\n' | grep -c .)
    figure "$(basename "$1" .wav): $count onsets live, $(echo "$offline" | tr ',' '\n' | grep -c .) offline, same notes in order"
    a=$(analyze "$1" attacks); b=$(analyze "$2" attacks)
    if [ "$(echo "$a" | tr ',' '\n' | grep -c .)" != "$count" ] || [ "$(echo "$b" | tr ',' '\n' | grep -c .)" != "$count" ]; then
        a=$(analyze "$1" onsets); b=$(analyze "$2" onsets)
    fi
    awk -v a="$a" -v b="$b" 'BEGIN {
        n = split(a, x, ","); split(b, y, ",")
        for (i = 2; i <= n; i++) { d = (x[i] - x[i-1]) - (y[i] - y[i-1]); if (d < 0) d = -d
            if (d > 0.015) { printf "onset gap %d differs by %.3f s\n", i, d; exit 1 } } }'
}
