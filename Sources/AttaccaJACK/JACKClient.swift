import CJack
import Glibc

/// A client of a JACK server, closed when it goes. Opened with `JackNoStartServer`: a server
/// that is not running is a one-line error at once, never a hang nor a daemon started behind
/// the user's back.
public struct JACKClient: ~Copyable {
    public let handle: OpaquePointer

    /// Opens `name` on `server` (nil: `$JACK_DEFAULT_SERVER`, else "default"). JACK renames
    /// the client (`name-01`) when the name is taken; `name` says what it got.
    public init(name: String, server: String?) throws(JACKError) {
        JACKClient.silenceLibrary()
        var status = JackStatus(rawValue: 0)
        let opened: OpaquePointer? = name.withCString { name in
            if let server {
                return server.withCString { attacca_jack_client_open(name, &status, $0) }
            }
            return attacca_jack_client_open(name, &status, nil)
        }
        guard let opened else {
            let where_ = server.map { "'\($0)'" } ?? "(default)"
            var error = JACKError(call: "jack_client_open", status: status.rawValue)
            if error.isServerMissing {
                error.detail = "no JACK server \(where_) is running (start one with jackd or qjackctl, or pick it with --jack-server)"
            }
            throw error
        }
        handle = opened
    }

    deinit {
        jack_client_close(handle)
    }

    /// libjack's own stderr chatter off, once.
    static func silenceLibrary() { attacca_jack_silence() }

    /// The name the server gave this client.
    public var name: String { String(cString: jack_get_client_name(handle)) }
    public var sampleRate: Int { Int(jack_get_sample_rate(handle)) }
    public var bufferSize: Int { Int(jack_get_buffer_size(handle)) }

    /// Registers an audio (`midi` false) or MIDI port, input or output.
    public func registerPort(_ name: String, midi: Bool, input: Bool) throws(JACKError) -> JACKPort {
        let type = midi ? attacca_jack_midi_type() : attacca_jack_audio_type()
        let flags = UInt((input ? JackPortIsInput : JackPortIsOutput).rawValue)
        guard let port = jack_port_register(handle, name, type, flags, 0) else {
            throw JACKError(call: "jack_port_register", detail: "cannot register port '\(name)'")
        }
        return JACKPort(port)
    }

    /// Starts the process callback.
    public func activate() throws(JACKError) {
        let code = jack_activate(handle)
        if code != 0 { throw JACKError(call: "jack_activate", code: code) }
    }

    /// Stops the process callback: on return it is not running and will not run again.
    public func deactivate() {
        _ = jack_deactivate(handle)
    }

    /// Connects `source` to `destination` (full `client:port` names); already connected is fine.
    public func connect(_ source: String, to destination: String) throws(JACKError) {
        let code = jack_connect(handle, source, destination)
        if code != 0 && code != EEXIST {
            throw JACKError(call: "jack_connect", code: code, detail: "cannot connect '\(source)' to '\(destination)'")
        }
    }

    /// Ports whose names match `pattern` (a regular expression; nil: all) with these flags.
    public func ports(matching pattern: String? = nil, midi: Bool, flags: JackPortFlags) -> [String] {
        let type = midi ? attacca_jack_midi_type() : attacca_jack_audio_type()
        guard let list = jack_get_ports(handle, pattern, type, UInt(flags.rawValue)) else { return [] }
        defer { jack_free(list) }
        var names: [String] = []
        var index = 0
        while let name = list[index] {
            names.append(String(cString: name))
            index += 1
        }
        return names
    }

    /// The hardware's playback ports (`system:playback_1`, …), in order.
    public var physicalPlaybackPorts: [String] {
        ports(midi: false, flags: JackPortFlags(rawValue: JackPortIsPhysical.rawValue | JackPortIsInput.rawValue))
    }

    /// Whether a port of this name exists on the server.
    public func hasPort(_ name: String) -> Bool { jack_port_by_name(handle, name) != nil }
}
