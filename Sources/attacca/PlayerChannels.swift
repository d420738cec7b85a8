import AttaccaALSA

/// What a player shares with its audio thread, whichever the driver: the event ring (input →
/// audio), the monitor (audio → status line) and the latency records (audio → `attacca latency`).
/// Allocated together, freed together by `deallocate()`.
struct PlayerChannels {
    let ring = EventRing(capacity: 1024)
    let monitor = AudioMonitor()
    let records = LatencyRing(capacity: 4096)

    func deallocate() {
        ring.deallocate()
        monitor.deallocate()
        records.deallocate()
    }
}
