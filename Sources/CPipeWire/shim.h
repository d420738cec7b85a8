#include <pipewire/pipewire.h>
#include <pipewire/filter.h>
#include <spa/control/control.h>
#include <spa/node/io.h>
#include <spa/pod/iter.h>

// What Swift cannot reach directly in libpipewire and SPA (macros, inline iterators).

/// The MIDI packets of one buffer of a "8 bit raw midi" port (a spa_pod_sequence of
/// SPA_CONTROL_Midi controls): for each, its frame in the cycle, its bytes (pointing into the
/// buffer: valid until it is queued back) and their count. At most `room`; returns how many.
/// Every size and offset is checked against the buffer: a malformed sequence gives 0.
static inline uint32_t attacca_pw_midi_packets(struct pw_buffer *buffer, uint32_t *frames,
                                               const uint8_t **bytes, uint32_t *sizes, uint32_t room) {
    if (buffer == NULL || buffer->buffer == NULL || buffer->buffer->n_datas < 1) return 0;
    struct spa_data *data = &buffer->buffer->datas[0];
    if (data->data == NULL || data->chunk == NULL) return 0;
    uint32_t offset = data->chunk->offset, size = data->chunk->size;
    if (offset > data->maxsize || size > data->maxsize - offset) return 0;
    struct spa_pod *pod = (struct spa_pod *)spa_pod_from_data(data->data, data->maxsize, offset, size);
    if (pod == NULL || !spa_pod_is_sequence(pod)) return 0;
    struct spa_pod_sequence *sequence = (struct spa_pod_sequence *)pod;
    struct spa_pod_control *control;
    uint32_t count = 0;
    SPA_POD_SEQUENCE_FOREACH(sequence, control) {
        if (control->type != SPA_CONTROL_Midi) continue;
        if (count == room) break;
        frames[count] = control->offset;
        bytes[count] = (const uint8_t *)SPA_POD_BODY(&control->value);
        sizes[count] = SPA_POD_BODY_SIZE(&control->value);
        count++;
    }
    return count;
}

/// PW_VERSION_FILTER_EVENTS (a macro).
static inline uint32_t attacca_pw_filter_events_version(void) { return PW_VERSION_FILTER_EVENTS; }
