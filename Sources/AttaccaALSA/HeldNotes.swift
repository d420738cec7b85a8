import AttaccaCore

/// Which notes each MIDI source has started and not ended, and which pedals it holds down,
/// kept on the sequencer thread: when a source goes away mid-note (a keyboard unplugged, a
/// program quitting, a connection removed), its note-offs will never come, so the notes it
/// left sounding are released for it.
///
/// Not for the audio thread: it grows a dictionary entry per source.
public struct HeldNotes {
    /// One source's state: 16 channels × 128 keys, and the channels with sustain or
    /// sostenuto down.
    struct Source {
        var keys = [UInt64](repeating: 0, count: 32)
        var sustain: UInt16 = 0
        var sostenuto: UInt16 = 0

        var noteCount: Int { keys.reduce(0) { $0 + $1.nonzeroBitCount } }
    }

    private var sources: [SequencerAddress: Source] = [:]

    public init() {}

    /// Runs once what the first note from a source would otherwise run first (the runtime sets
    /// up the dictionary's generic metadata and the address's hashing on first use), so it does
    /// not delay the events after it in a batch. Leaves nothing recorded. With it, the event
    /// handed on before the bookkeeping and the queue mapping read before the wait, the VM
    /// harness's one late note of 20 at 2 x 16 (0.13 ms late in both latency modes) is gone;
    /// which of the three did it was not isolated.
    public mutating func warmUp() {
        let placeholder = SequencerAddress(client: -1, port: -1)
        record(.noteOn(channel: 0, key: 0, velocity: 1), from: placeholder)
        _ = release(.portExit(placeholder))
    }

    /// Sources heard from and not yet released.
    public var sourceCount: Int { sources.count }

    /// Notes `source` holds now.
    public func noteCount(of source: SequencerAddress) -> Int { sources[source]?.noteCount ?? 0 }

    /// Follows `message` from `source`: note-ons set a key, note-offs (and velocity-0 note-ons)
    /// clear it, pedals 64 and 66 are tracked per channel, All Notes Off / All Sound Off clear
    /// the channel, a system reset clears everything the source held.
    public mutating func record(_ message: MidiMessage, from source: SequencerAddress) {
        let channel = message.channel
        let index = channel * 128 + Int(message.data1 & 0x7F)
        let bit = UInt64(1) << UInt64(index & 63)
        switch message.kind {
        case .noteOn where message.data2 > 0:
            sources[source, default: Source()].keys[index >> 6] |= bit
        case .noteOn, .noteOff:
            sources[source]?.keys[index >> 6] &= ~bit
        case .controlChange:
            let down = message.data2 >= 64
            let channelBit = UInt16(1) << UInt16(channel)
            switch message.data1 {
            case 64:
                if down { sources[source, default: Source()].sustain |= channelBit } else { sources[source]?.sustain &= ~channelBit }
            case 66:
                if down { sources[source, default: Source()].sostenuto |= channelBit } else { sources[source]?.sostenuto &= ~channelBit }
            case 120, 123:
                sources[source]?.keys.replaceSubrange((channel * 2)..<(channel * 2 + 2), with: [0, 0])
            default:
                break
            }
        case .system where message == .systemReset:
            sources[source] = nil
        default:
            break
        }
    }

    /// The messages that end what the departed source (or sources) held: a note-off for every
    /// held key, then sustain and sostenuto up on every channel where they were down; the
    /// sources are forgotten. nil when `departure` concerns no source heard from.
    public mutating func release(_ departure: SequencerDeparture) -> [MidiMessage]? {
        let departed = sources.keys.filter { departure.includes($0) }.sorted { ($0.client, $0.port) < ($1.client, $1.port) }
        guard !departed.isEmpty else { return nil }
        var messages: [MidiMessage] = []
        for address in departed {
            guard let source = sources.removeValue(forKey: address) else { continue }
            for word in 0..<source.keys.count {
                var bits = source.keys[word]
                while bits != 0 {
                    let index = word * 64 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    messages.append(.noteOff(channel: index >> 7, key: index & 127))
                }
            }
            for channel in 0..<16 {
                if source.sustain & (1 << channel) != 0 { messages.append(.controlChange(channel: channel, controller: 64, value: 0)) }
                if source.sostenuto & (1 << channel) != 0 { messages.append(.controlChange(channel: channel, controller: 66, value: 0)) }
            }
        }
        return messages
    }
}
