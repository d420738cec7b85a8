#include <jack/jack.h>
#include <jack/midiport.h>

// What Swift cannot reach directly in libjack, as static inline functions.

/// jack_client_open is variadic (the server name follows the status); Swift cannot call that.
/// Never starts a server: a missing one is an error, not a hang or a surprise daemon.
static inline jack_client_t *attacca_jack_client_open(const char *name, jack_status_t *status, const char *server) {
    jack_options_t options = JackNoStartServer;
    if (server) {
        options = (jack_options_t)(options | JackServerName);
        return jack_client_open(name, options, status, server);
    }
    return jack_client_open(name, options, status);
}

/// The port type strings (macros).
static inline const char *attacca_jack_audio_type(void) { return JACK_DEFAULT_AUDIO_TYPE; }
static inline const char *attacca_jack_midi_type(void) { return JACK_DEFAULT_MIDI_TYPE; }

/// libjack prints its own diagnostics to stderr; Attacca reports every failure itself, in one line.
static void attacca_jack_silent(const char *message) { (void)message; }
static inline void attacca_jack_silence(void) {
    jack_set_error_function(attacca_jack_silent);
    jack_set_info_function(attacca_jack_silent);
}
