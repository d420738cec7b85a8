import CPipeWire

/// What the daemon's registry has said about nodes and ports, kept by its listener (on the
/// session's loop thread, under the loop's lock) so that `--pipewire-link` can find the ports to
/// link by name, as pw-link does. Not on the real-time path.
struct PipeWireGraph {
    struct Node: Equatable {
        var name: String
        var mediaClass: String
    }

    struct Port: Equatable {
        var node: UInt32
        var name: String
        var isInput: Bool
        /// `audio.channel` (FL, FR, …), or "" for MIDI and unpositioned ports.
        var channel: String
    }

    var nodes: [UInt32: Node] = [:]
    var ports: [UInt32: Port] = [:]

    /// The output ports `left` and `right` of node `node`.
    func outputs(of node: UInt32, left: String, right: String) -> (left: UInt32, right: UInt32)? {
        let mine = ports.filter { $0.value.node == node && !$0.value.isInput }
        guard let l = mine.first(where: { $0.value.name == left })?.key,
              let r = mine.first(where: { $0.value.name == right })?.key else { return nil }
        return (l, r)
    }

    /// The node named `name` (`node.name`) and its left and right audio inputs: FL and FR by
    /// `audio.channel`, else its first two audio inputs in id order (a mono input takes both).
    func inputs(ofNodeNamed name: String) -> (node: UInt32, left: UInt32, right: UInt32)? {
        guard let node = nodes.filter({ $0.value.name == name }).keys.min() else { return nil }
        let inputs = ports.filter { $0.value.node == node && $0.value.isInput && !$0.value.name.contains("midi") }
            .sorted { $0.key < $1.key }
        if let l = inputs.first(where: { $0.value.channel == "FL" })?.key,
           let r = inputs.first(where: { $0.value.channel == "FR" })?.key {
            return (node, l, r)
        }
        guard let first = inputs.first?.key else { return nil }
        return (node, first, inputs.dropFirst().first?.key ?? first)
    }

    /// Names of the nodes with audio inputs, for an error that lists what could be linked.
    var sinkNames: [String] {
        let withInputs = Set(ports.values.filter { $0.isInput }.map(\.node))
        return nodes.filter { withInputs.contains($0.key) }.map(\.value.name).sorted()
    }

    static let globalCallback: @convention(c) (UnsafeMutableRawPointer?, UInt32, UInt32, UnsafePointer<CChar>?, UInt32,
                                               UnsafePointer<spa_dict>?) -> Void = { data, id, _, type, _, props in
        guard let data, let type, let props else { return }
        let graph = data.assumingMemoryBound(to: PipeWireGraph.self)
        func value(_ key: String) -> String? { spa_dict_lookup(props, key).map { String(cString: $0) } }
        if strcmp(type, attacca_pw_type_node()) == 0 {
            graph.pointee.nodes[id] = Node(name: value("node.name") ?? "", mediaClass: value("media.class") ?? "")
        } else if strcmp(type, attacca_pw_type_port()) == 0, let node = value("node.id").flatMap(UInt32.init) {
            graph.pointee.ports[id] = Port(node: node, name: value("port.name") ?? "",
                                           isInput: value("port.direction") == "in", channel: value("audio.channel") ?? "")
        }
    }

    static let globalRemoveCallback: @convention(c) (UnsafeMutableRawPointer?, UInt32) -> Void = { data, id in
        guard let data else { return }
        let graph = data.assumingMemoryBound(to: PipeWireGraph.self)
        graph.pointee.nodes[id] = nil
        graph.pointee.ports[id] = nil
    }
}
