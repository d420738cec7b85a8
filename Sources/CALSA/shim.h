#include <alsa/asoundlib.h>
#include <errno.h>
#include <sched.h>
#include <sys/mman.h>
#include <poll.h>

// Macros and fields Swift cannot reach directly, as static inline functions.

/// errno values alsa-lib returns negated (the Glibc overlay does not export every one).
static inline int attacca_EPIPE(void) { return EPIPE; }
static inline int attacca_ESTRPIPE(void) { return ESTRPIPE; }
static inline int attacca_EAGAIN(void) { return EAGAIN; }
static inline int attacca_EINTR(void) { return EINTR; }

/// snd_seq_ev_set_* macros, for events Attacca schedules to itself.
static inline void attacca_seq_ev_clear(snd_seq_event_t *ev) { snd_seq_ev_clear(ev); }
static inline void attacca_seq_ev_set_dest(snd_seq_event_t *ev, int client, int port) {
    snd_seq_ev_set_dest(ev, client, port);
}
static inline void attacca_seq_ev_set_source(snd_seq_event_t *ev, int port) { snd_seq_ev_set_source(ev, port); }
static inline void attacca_seq_ev_schedule_real(snd_seq_event_t *ev, int queue, unsigned int sec, unsigned int nsec) {
    snd_seq_real_time_t t = { sec, nsec };
    snd_seq_ev_schedule_real(ev, queue, 0, &t);
}
static inline void attacca_seq_ev_set_fixed(snd_seq_event_t *ev) { snd_seq_ev_set_fixed(ev); }
static inline void attacca_seq_ev_set_sysex(snd_seq_event_t *ev, unsigned int len, void *ptr) {
    snd_seq_ev_set_sysex(ev, len, ptr);
}
static inline int attacca_seq_start_queue(snd_seq_t *seq, int queue) { return snd_seq_start_queue(seq, queue, NULL); }

/// alsa-lib prints its own diagnostics to stderr; Attacca reports every failure itself, in one line.
static void attacca_alsa_silent_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void attacca_silence_alsa_errors(void) { snd_lib_error_set_handler(attacca_alsa_silent_handler); }
