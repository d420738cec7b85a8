#include <fluidsynth.h>
#include <dlfcn.h>
#include <stddef.h>

/* libfluidsynth is opened at run time, not linked: `attacca` with the native engine then starts
 * without loading FluidSynth and the ~60 libraries it pulls in (SDL2, PulseAudio, X11, GLib...),
 * whose relocations cost several milliseconds on every start. The header still gives the types,
 * constants and each function's exact signature (through __typeof__). */
#define ATTACCA_FLUID_FUNCTIONS(X) \
    X(new_fluid_settings) X(delete_fluid_settings) X(new_fluid_synth) X(delete_fluid_synth) \
    X(fluid_set_log_function) X(fluid_settings_setstr) X(fluid_settings_setnum) X(fluid_settings_setint) \
    X(fluid_settings_getnum_range) X(fluid_settings_getint_range) X(fluid_synth_sfload) \
    X(fluid_synth_set_bank_offset) X(fluid_synth_program_reset) X(fluid_synth_set_interp_method) \
    X(fluid_synth_get_active_voice_count) X(fluid_synth_noteoff) X(fluid_synth_noteon) \
    X(fluid_synth_key_pressure) X(fluid_synth_cc) X(fluid_synth_program_change) \
    X(fluid_synth_channel_pressure) X(fluid_synth_pitch_bend) X(fluid_synth_system_reset) \
    X(fluid_synth_sysex) X(fluid_synth_write_float)

/* The functions Attacca calls, as pointers found with dlsym. */
typedef struct attacca_fluid_api {
#define ATTACCA_FLUID_FIELD(name) __typeof__(&name) name;
    ATTACCA_FLUID_FUNCTIONS(ATTACCA_FLUID_FIELD)
#undef ATTACCA_FLUID_FIELD
} attacca_fluid_api;

/* Opens libfluidsynth.so.3 and fills `api`. Returns NULL, or why it could not (dlerror's text, or
 * the first missing function). */
static inline const char *attacca_fluid_load(attacca_fluid_api *api) {
    void *library = dlopen("libfluidsynth.so.3", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        return reason != NULL ? reason : "libfluidsynth.so.3 could not be opened";
    }
#define ATTACCA_FLUID_LOAD(name) \
    api->name = (__typeof__(&name))dlsym(library, #name); \
    if (api->name == NULL) return "libfluidsynth.so.3 has no " #name;
    ATTACCA_FLUID_FUNCTIONS(ATTACCA_FLUID_LOAD)
#undef ATTACCA_FLUID_LOAD
    return NULL;
}
