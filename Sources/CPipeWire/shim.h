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

/// pw_registry_add_listener (a macro).
static inline int attacca_pw_registry_add_listener(struct pw_registry *registry, struct spa_hook *hook,
                                                   const struct pw_registry_events *events, void *data) {
    return pw_registry_add_listener(registry, hook, events, data);
}

/// PW_VERSION_REGISTRY_EVENTS, PW_VERSION_REGISTRY (macros).
static inline uint32_t attacca_pw_registry_events_version(void) { return PW_VERSION_REGISTRY_EVENTS; }
static inline uint32_t attacca_pw_registry_version(void) { return PW_VERSION_REGISTRY; }

/// A link from one port to another (by their global ids) through the daemon's link-factory, as
/// pw-link makes it; the proxy (destroy it to remove the link), or NULL.
static inline struct pw_proxy *attacca_pw_link(struct pw_core *core, uint32_t output_node, uint32_t output_port,
                                               uint32_t input_node, uint32_t input_port) {
    char values[4][16];
    snprintf(values[0], sizeof(values[0]), "%u", output_node);
    snprintf(values[1], sizeof(values[1]), "%u", output_port);
    snprintf(values[2], sizeof(values[2]), "%u", input_node);
    snprintf(values[3], sizeof(values[3]), "%u", input_port);
    struct spa_dict_item items[] = {
        SPA_DICT_ITEM_INIT(PW_KEY_LINK_OUTPUT_NODE, values[0]),
        SPA_DICT_ITEM_INIT(PW_KEY_LINK_OUTPUT_PORT, values[1]),
        SPA_DICT_ITEM_INIT(PW_KEY_LINK_INPUT_NODE, values[2]),
        SPA_DICT_ITEM_INIT(PW_KEY_LINK_INPUT_PORT, values[3]),
        SPA_DICT_ITEM_INIT(PW_KEY_OBJECT_LINGER, "false"),
    };
    struct spa_dict dict = SPA_DICT_INIT_ARRAY(items);
    return (struct pw_proxy *)pw_core_create_object(core, "link-factory", PW_TYPE_INTERFACE_Link,
                                                    PW_VERSION_LINK, &dict, 0);
}

/// PW_TYPE_INTERFACE_Node / _Port (string macros).
static inline const char *attacca_pw_type_node(void) { return PW_TYPE_INTERFACE_Node; }
static inline const char *attacca_pw_type_port(void) { return PW_TYPE_INTERFACE_Port; }
