import AttaccaALSA
import AttaccaCore
import CPipeWire
import Glibc

/// Attacca as a native PipeWire node: a filter (`pw_filter`) with the ports `out_L`, `out_R`
/// (32-bit float mono DSP) and `midi_in` (8-bit raw MIDI), processed on PipeWire's real-time
/// data thread (`PipeWireProcessor`). When the daemon goes away the filter is dropped, every note
/// silenced, and a new connection tried every `retryNanoseconds` until it is back.
///
/// libpipewire runs on a thread loop of the session's own; every call into it holds the loop's
/// lock. Driven from an ordinary thread by `poll(now:)`, as `JACKSession` is.
public struct PipeWireSession: ~Copyable {
    public enum Event: Equatable, Sendable {
        /// The daemon went away (or the filter failed): `reason`; every note released.
        case lost(reason: String)
        /// A filter plays again after `attempts` connections; `lines` say what was linked.
        case restored(attempts: Int, lines: [String])
    }

    public enum State: Equatable, Sendable {
        case playing
        case away(nextAttempt: Int64)
        case stopped
    }

    public let settings: PipeWireSettings
    public let ring: EventRing
    public let monitor: AudioMonitor
    public let retryNanoseconds: Int64
    public private(set) var state: State = .stopped
    /// The graph's rate when the filter first ran (the engine is built for it) and its quantum.
    public private(set) var sampleRate: Int
    public private(set) var quantum: Int
    public private(set) var lastOpenError: PipeWireError?
    public private(set) var discardedEvents = 0
    public private(set) var reopenAttempts = 0

    private let loop: OpaquePointer
    private let context: OpaquePointer
    private var core: OpaquePointer?
    private var filter: OpaquePointer?
    private let hook: UnsafeMutablePointer<spa_hook>
    private let events: UnsafeMutablePointer<pw_filter_events>
    /// The registry (for `linkTarget`), what it has said, and the links made.
    private var registry: OpaquePointer?
    private let registryHook: UnsafeMutablePointer<spa_hook>
    private let registryEvents: UnsafeMutablePointer<pw_registry_events>
    private let graph: UnsafeMutablePointer<PipeWireGraph>
    private let processor: UnsafeMutablePointer<PipeWireProcessor>
    private let callbacks: UnsafeMutablePointer<PipeWireCallbackContext>
    private var silence: (() -> Int)?
    private let silencer = EngineSilencer()

    /// Connects to the daemon, makes the filter and its ports, and waits (at most
    /// `firstCycleSeconds`) for the graph's first cycle, which gives its rate. Throws, in one line,
    /// when no daemon answers or the graph never runs the node.
    public static func open(settings: PipeWireSettings, ring: EventRing, monitor: AudioMonitor, latencyMode: LatencyMode = .lowest,
                            latencyRecords: LatencyRing? = nil, retryNanoseconds: Int64 = 1_000_000_000,
                            firstCycleSeconds: Double = 5) throws(PipeWireError) -> PipeWireSession {
        pw_init(nil, nil)
        guard let loop = pw_thread_loop_new("attacca-pipewire", nil) else {
            throw PipeWireError(call: "pw_thread_loop_new", errno: errno)
        }
        guard let context = pw_context_new(pw_thread_loop_get_loop(loop), nil, 0) else {
            pw_thread_loop_destroy(loop)
            throw PipeWireError(call: "pw_context_new", errno: errno)
        }
        var session = PipeWireSession(loop: loop, context: context, settings: settings, ring: ring, monitor: monitor,
                                      retryNanoseconds: retryNanoseconds)
        try session.begin(latencyMode: latencyMode, latencyRecords: latencyRecords, firstCycleSeconds: firstCycleSeconds)
        return session
    }

    private init(loop: OpaquePointer, context: OpaquePointer, settings: PipeWireSettings, ring: EventRing,
                 monitor: AudioMonitor, retryNanoseconds: Int64) {
        self.loop = loop
        self.context = context
        self.settings = settings
        self.ring = ring
        self.monitor = monitor
        self.retryNanoseconds = retryNanoseconds
        hook = .allocate(capacity: 1)
        hook.initialize(to: spa_hook())
        events = .allocate(capacity: 1)
        var table = pw_filter_events()
        table.version = attacca_pw_filter_events_version()
        table.process = PipeWireCallbackContext.processCallback
        table.state_changed = PipeWireCallbackContext.stateCallback
        events.initialize(to: table)
        registryHook = .allocate(capacity: 1)
        registryHook.initialize(to: spa_hook())
        registryEvents = .allocate(capacity: 1)
        var registryTable = pw_registry_events()
        registryTable.version = attacca_pw_registry_events_version()
        registryTable.global = PipeWireGraph.globalCallback
        registryTable.global_remove = PipeWireGraph.globalRemoveCallback
        registryEvents.initialize(to: registryTable)
        graph = .allocate(capacity: 1)
        graph.initialize(to: PipeWireGraph())
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: PipeWireCallbackContext())
        // The engine's rate is not known yet: the processor is made again once it is.
        processor = .allocate(capacity: 1)
        processor.initialize(to: PipeWireProcessor(ring: ring, monitor: monitor, rate: settings.rate))
        sampleRate = settings.rate
        quantum = settings.quantum
    }

    private mutating func begin(latencyMode: LatencyMode, latencyRecords: LatencyRing?,
                                firstCycleSeconds: Double) throws(PipeWireError) {
        if pw_thread_loop_start(loop) < 0 { throw PipeWireError(call: "pw_thread_loop_start", errno: errno) }
        try connect()
        // The first cycle gives the graph's rate.
        let deadline = MonotonicClock.now() + Int64(firstCycleSeconds * 1e9)
        while callbacks.pointee.rate.load(ordering: .relaxed) == 0 {
            if callbacks.pointee.lost.load(ordering: .acquiring) {
                let reason = callbacks.pointee.errorLine ?? "failed"
                disconnect()
                throw PipeWireError(call: "pw_filter_connect", detail: reason)
            }
            if MonotonicClock.now() > deadline {
                disconnect()
                throw PipeWireError(call: "pw_filter_connect", detail: "the graph did not run the node within \(Int(firstCycleSeconds)) s (no driver?)")
            }
            usleep(2000)
        }
        sampleRate = callbacks.pointee.rate.load(ordering: .relaxed)
        quantum = callbacks.pointee.quantum.load(ordering: .relaxed)
        processor.deinitialize(count: 1)
        processor.initialize(to: PipeWireProcessor(ring: ring, monitor: monitor, rate: sampleRate,
                                                   latencyMode: latencyMode, latencyRecords: latencyRecords))
        setPorts()
    }

    deinit {
        stopCallbacks()
        Self.tearDown(loop: loop, filter: filter, core: core)
        pw_thread_loop_stop(loop)
        pw_context_destroy(context)
        pw_thread_loop_destroy(loop)
        processor.deinitialize(count: 1); processor.deallocate()
        callbacks.deinitialize(count: 1); callbacks.deallocate()
        hook.deinitialize(count: 1); hook.deallocate()
        events.deinitialize(count: 1); events.deallocate()
        registryHook.deinitialize(count: 1); registryHook.deallocate()
        registryEvents.deinitialize(count: 1); registryEvents.deallocate()
        graph.deinitialize(count: 1); graph.deallocate()
    }

    public var isPlaying: Bool { state == .playing }

    public var limits: Bool {
        get { processor.pointee.cycle.limits }
        set { processor.pointee.cycle.limits = newValue }
    }

    /// Messages the MIDI port brought, and those dropped; read after `stop()`.
    public var midiReceived: Int { processor.pointee.cycle.receivedMidi }
    public var midiDropped: Int { processor.pointee.cycle.droppedMidi }
    /// Cycles run at another rate than the engine's (silent); read after `stop()`.
    public var wrongRateCycles: Int { processor.pointee.wrongRateCycles }

    /// The node's name as `pw-link` shows its ports (`attacca:out_L`).
    public var portNames: (left: String, right: String, midi: String) {
        let node = settings.nodeName
        return (node + ":" + PipeWireSettings.leftPort, node + ":" + PipeWireSettings.rightPort, node + ":" + PipeWireSettings.midiPort)
    }

    /// Plays `engine` (which must outlive the playing: until `stop()`) in the filter's callback,
    /// and links the outputs to `linkTarget` (an error when it has no inputs within 2 s).
    public mutating func start<E: SoundEngine & ~Copyable>(engine: UnsafeMutablePointer<E>) throws(PipeWireError) -> [String] {
        let processor = self.processor
        if E.self == Synthesizer.self {
            let synthesizer = UnsafeMutableRawPointer(engine).assumingMemoryBound(to: Synthesizer.self)
            callbacks.pointee.process = { position in processor.pointee.process(position: position, synthesizer: &synthesizer.pointee) }
        } else {
            callbacks.pointee.process = { position in processor.pointee.process(position: position, engine: &engine.pointee) }
        }
        silence = silencer.silence(engine)
        callbacks.pointee.started.store(true, ordering: .sequentiallyConsistent)
        state = .playing
        if let target = settings.linkTarget { return try link(to: target) }
        let ports = portNames
        return [settings.autoConnect
            ? "node '\(settings.nodeName)' asks the session manager to link it (node.autoconnect); without one: pw-link \(ports.left) <sink>:playback_FL"
            : "node '\(settings.nodeName)': link \(ports.left) and \(ports.right) yourself (pw-link, qpwgraph)"]
    }

    /// Looks at the daemon; call it often. `now` is CLOCK_MONOTONIC ns.
    public mutating func poll(now: Int64) -> Event? {
        switch state {
        case .stopped:
            return nil
        case .playing:
            guard callbacks.pointee.lost.load(ordering: .acquiring) else { return nil }
            let reason = callbacks.pointee.errorLine ?? "disconnected"
            stopCallbacks()
            disconnect()
            monitor.storeVoices(silence?() ?? 0)
            discardedEvents += ring.discardAll()
            state = .away(nextAttempt: now + retryNanoseconds)
            return .lost(reason: reason)
        case .away(let nextAttempt):
            guard now >= nextAttempt else { return nil }
            reopenAttempts += 1
            state = .away(nextAttempt: now + retryNanoseconds)
            do {
                try connect()
            } catch {
                lastOpenError = error
                return nil
            }
            processor.pointee.restart()
            setPorts()
            discardedEvents += ring.discardAll()
            callbacks.pointee.started.store(true, ordering: .sequentiallyConsistent)
            state = .playing
            let attempts = reopenAttempts
            reopenAttempts = 0
            lastOpenError = nil
            var lines: [String] = []
            if let target = settings.linkTarget {
                do { lines = try link(to: target) } catch { lines = ["warning: \(error.description)"] }
            }
            return .restored(attempts: attempts, lines: lines)
        }
    }

    /// Stops the callback's playing, drops the filter, silences the engine.
    public mutating func stop() {
        stopCallbacks()
        disconnect()
        if state != .stopped, let silence { monitor.storeVoices(silence()) }
        state = .stopped
    }

    /// Once this returns no callback touches the engine.
    private func stopCallbacks() {
        callbacks.pointee.started.store(false, ordering: .sequentiallyConsistent)
        while callbacks.pointee.busy.load(ordering: .sequentiallyConsistent) { usleep(100) }
    }

    private func setPorts() {
        processor.pointee.left = callbacks.pointee.left
        processor.pointee.right = callbacks.pointee.right
        processor.pointee.midi = callbacks.pointee.midi
    }

    /// A core connection, the filter and its ports, connected (RT processing).
    private mutating func connect() throws(PipeWireError) {
        pw_thread_loop_lock(loop)
        defer { pw_thread_loop_unlock(loop) }
        callbacks.pointee.lost.store(false, ordering: .releasing)
        callbacks.pointee.connected.store(false, ordering: .releasing)
        callbacks.pointee.errorLine = nil
        guard let core = pw_context_connect(context, nil, 0) else {
            throw PipeWireError(call: "pw_context_connect", errno: errno,
                                hint: " (no PipeWire daemon at $PIPEWIRE_RUNTIME_DIR or $XDG_RUNTIME_DIR)")
        }
        let node = "node.name=\(Self.quoted(settings.nodeName)) node.description=\(Self.quoted(settings.nodeName)) media.type=Audio "
            + "media.category=Playback media.role=Music media.class=Stream/Output/Audio "
            + "node.autoconnect=\(settings.autoConnect) node.always-process=true "
            + "node.latency=\(settings.quantum)/\(settings.rate) node.rate=1/\(settings.rate)"
        if settings.linkTarget != nil {
            graph.pointee = PipeWireGraph()
            registryHook.pointee = spa_hook()
            registry = pw_core_get_registry(core, attacca_pw_registry_version(), 0)
            if let registry {
                _ = attacca_pw_registry_add_listener(registry, registryHook, registryEvents, UnsafeMutableRawPointer(graph))
            }
        }
        guard let filter = pw_filter_new(core, settings.nodeName, pw_properties_new_string(node)) else {
            let code = errno
            pw_core_disconnect(core)
            throw PipeWireError(call: "pw_filter_new", errno: code)
        }
        pw_filter_add_listener(filter, hook, events, UnsafeMutableRawPointer(callbacks))
        let audio = "format.dsp=\"32 bit float mono audio\""
        let flags = PW_FILTER_PORT_FLAG_MAP_BUFFERS
        let left = pw_filter_add_port(filter, SPA_DIRECTION_OUTPUT, flags, 0,
                                      pw_properties_new_string("\(audio) port.name=\(PipeWireSettings.leftPort) audio.channel=FL"), nil, 0)
        let right = pw_filter_add_port(filter, SPA_DIRECTION_OUTPUT, flags, 0,
                                       pw_properties_new_string("\(audio) port.name=\(PipeWireSettings.rightPort) audio.channel=FR"), nil, 0)
        let midi = pw_filter_add_port(filter, SPA_DIRECTION_INPUT, flags, 0,
                                      pw_properties_new_string("format.dsp=\"8 bit raw midi\" port.name=\(PipeWireSettings.midiPort)"), nil, 0)
        guard left != nil, right != nil, midi != nil else {
            let code = errno
            pw_filter_destroy(filter)
            pw_core_disconnect(core)
            throw PipeWireError(call: "pw_filter_add_port", errno: code)
        }
        callbacks.pointee.left = left
        callbacks.pointee.right = right
        callbacks.pointee.midi = midi
        let code = pw_filter_connect(filter, PW_FILTER_FLAG_RT_PROCESS, nil, 0)
        if code < 0 {
            pw_filter_destroy(filter)
            pw_core_disconnect(core)
            throw PipeWireError(call: "pw_filter_connect", errno: -code)
        }
        self.core = core
        self.filter = filter
    }

    /// Drops the filter and the core connection (after `stopCallbacks`).
    private mutating func disconnect() {
        Self.tearDown(loop: loop, filter: filter, core: core)
        filter = nil
        core = nil
        registry = nil  // the core's proxies (the registry, the links) went with it
        callbacks.pointee.left = nil
        callbacks.pointee.right = nil
        callbacks.pointee.midi = nil
        hook.pointee = spa_hook()
    }

    /// Links `out_L`/`out_R` to the left and right inputs of the node named `target`, once the
    /// registry has shown both (at most 2 s); lines saying what was linked.
    private func link(to target: String) throws(PipeWireError) -> [String] {
        let deadline = MonotonicClock.now() + 2_000_000_000
        while true {
            pw_thread_loop_lock(loop)
            let known = graph.pointee
            let node = filter.map { pw_filter_get_node_id($0) } ?? UInt32.max
            if node != UInt32.max, let outputs = known.outputs(of: node, left: PipeWireSettings.leftPort, right: PipeWireSettings.rightPort),
               let inputs = known.inputs(ofNodeNamed: target), let core {
                let left = attacca_pw_link(core, node, outputs.left, inputs.node, inputs.left)
                let right = attacca_pw_link(core, node, outputs.right, inputs.node, inputs.right)
                pw_thread_loop_unlock(loop)
                guard left != nil, right != nil else {
                    throw PipeWireError(call: "link-factory", detail: "could not link \(settings.nodeName) to '\(target)'")
                }
                let names = portNames
                return ["linked \(names.left) to \(target):\(known.ports[inputs.left]?.name ?? "?")",
                        "linked \(names.right) to \(target):\(known.ports[inputs.right]?.name ?? "?")"]
            }
            pw_thread_loop_unlock(loop)
            if MonotonicClock.now() > deadline {
                let names = known.sinkNames.filter { $0 != settings.nodeName }
                throw PipeWireError(call: "--pipewire-link", detail: "no node '\(target)' with audio inputs"
                    + (names.isEmpty ? "" : " (nodes with inputs: \(names.joined(separator: ", ")))"))
            }
            usleep(5000)
        }
    }

    private static func tearDown(loop: OpaquePointer, filter: OpaquePointer?, core: OpaquePointer?) {
        pw_thread_loop_lock(loop)
        if let filter { pw_filter_destroy(filter) }
        if let core { pw_core_disconnect(core) }
        pw_thread_loop_unlock(loop)
    }

    /// A value for `pw_properties_new_string`: quoted, its quotes and backslashes escaped.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for character in value {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }
}
