import Synchronization

/// What the audio thread tells the rest of the program, and the one thing it is told (stop):
/// integers in atomics, written without waiting by the audio thread and read by the status
/// line. A handle: copies share the storage, which `deallocate()` frees.
public struct AudioMonitor: @unchecked Sendable {
    @usableFromInline let values: UnsafeMutablePointer<Atomic<Int>>

    /// Slots in `values`.
    @usableFromInline enum Slot: Int, CaseIterable {
        case stopRequested, finished, periods, xruns, voices, renderNanoseconds, peakRenderNanoseconds
        case failureCode, eventsDelivered, lastArrivalToRender, renderLeadNanoseconds
    }

    public init() {
        let count = Slot.allCases.count
        values = .allocate(capacity: count)
        for index in 0..<count { (values + index).initialize(to: Atomic(0)) }
    }

    public func deallocate() {
        values.deinitialize(count: Slot.allCases.count)
        values.deallocate()
    }

    @_noLocks func load(_ slot: Slot) -> Int { values[slot.rawValue].load(ordering: .acquiring) }
    @_noLocks func store(_ slot: Slot, _ value: Int) { values[slot.rawValue].store(value, ordering: .releasing) }
    @_noLocks func add(_ slot: Slot, _ value: Int) { values[slot.rawValue].add(value, ordering: .relaxed) }

    // MARK: Read by anyone

    /// Asks the audio thread to silence everything, drain and return.
    public func requestStop() { store(.stopRequested, 1) }
    public var isStopRequested: Bool {
        @_noLocks get { load(.stopRequested) != 0 }
    }
    /// The audio thread has left its loop.
    public var isFinished: Bool { load(.finished) != 0 }
    /// Periods rendered and written.
    public var periods: Int { load(.periods) }
    /// Underruns (and suspends) recovered from.
    public var xruns: Int { load(.xruns) }
    /// Voices sounding after the last period.
    public var voices: Int { load(.voices) }
    /// Render time of the last period.
    public var renderNanoseconds: Int { load(.renderNanoseconds) }
    /// Longest render time since the last `takePeakRenderNanoseconds()`.
    public func takePeakRenderNanoseconds() -> Int { values[Slot.peakRenderNanoseconds.rawValue].exchange(0, ordering: .relaxed) }
    /// The render lead of the last period (`RenderLead`): 0 when there is none (`off`, or
    /// `constant` mode); a period or more: rendered at the wake-up.
    public var renderLeadNanoseconds: Int { load(.renderLeadNanoseconds) }
    /// Events handed to the engine.
    public var eventsDelivered: Int { load(.eventsDelivered) }
    /// The negative errno that stopped the audio thread, or 0.
    public var failureCode: Int32 {
        @_noLocks get { Int32(truncatingIfNeeded: load(.failureCode)) }
    }

    /// Clears the end of a loop that stopped because its device failed (finished, failure
    /// code, voices), before a loop on a reopened device starts; the counts go on.
    public func clearFailure() {
        store(.failureCode, 0)
        store(.voices, 0)
        store(.finished, 0)
    }

    // MARK: Written by the audio thread

    /// An xrun another layer reported (JACK's xrun callback); the ALSA loop counts its own.
    @_noLocks public func recordXrun() { add(.xruns, 1) }

    /// The voices sounding, set by whoever owns the engine while no audio thread runs.
    public func storeVoices(_ count: Int) { store(.voices, count) }

    /// One period (or JACK cycle) done: its render time, the voices after it, the events it took.
    @_noLocks public func recordPeriod(renderNanoseconds: Int, voices: Int, events: Int, leadNanoseconds: Int = 0) {
        store(.renderNanoseconds, renderNanoseconds)
        store(.renderLeadNanoseconds, leadNanoseconds)
        store(.voices, voices)
        add(.periods, 1)
        add(.eventsDelivered, events)
        let peak = values + Slot.peakRenderNanoseconds.rawValue
        if renderNanoseconds > peak.pointee.load(ordering: .relaxed) { peak.pointee.store(renderNanoseconds, ordering: .relaxed) }
    }
}
