import AttaccaALSA
import AttaccaCore
import Glibc
import Testing

/// A device that goes away mid-play, and one that never comes back, with the fake device seam:
/// no kernel, no clock (the session is polled with the time the test chooses).
@Suite struct AudioSessionTests {
    /// A session on `first`, reopening with `open`, its loop driving a `RecordingEngine`.
    func withSession(first: consuming UnpluggablePCM, retry: Int64 = 1000, priority: Int32? = nil,
                     open: @escaping AudioSession<UnpluggablePCM>.Opener,
                     _ body: (inout AudioSession<UnpluggablePCM>, UnsafeMutablePointer<RecordingEngine>) throws -> Void) rethrows {
        let ring = EventRing(capacity: 256)
        let monitor = AudioMonitor()
        defer {
            ring.deallocate()
            monitor.deallocate()
        }
        let engine = UnsafeMutablePointer<RecordingEngine>.allocate(capacity: 1)
        engine.initialize(to: RecordingEngine())
        defer {
            engine.deinitialize(count: 1)
            engine.deallocate()
        }
        var session = AudioSession(device: first, ring: ring, monitor: monitor, priority: priority, retryNanoseconds: retry,
                                   open: open, run: { loop in loop.pointee.run(engine: &engine.pointee) })
        try body(&session, engine)
        session.stop()
    }

    /// Polls at `now` until the session reports something or leaves `.playing` (the audio
    /// thread runs meanwhile; no time limit: a hang is the failure).
    func pollWhilePlaying(_ session: inout AudioSession<UnpluggablePCM>, now: Int64) -> AudioSession<UnpluggablePCM>.Event? {
        while session.state == .playing {
            if let event = session.poll(now: now) { return event }
            usleep(50)
        }
        return nil
    }

    /// Also with SCHED_FIFO asked for: where it is granted (root), the thread starts with no
    /// refusal to report, which the session once took for a failed start.
    @Test(arguments: [nil, 1] as [Int32?])
    func unpluggedDeviceIsSaidOnceClosedAndReopenedUntilItReturns(priority: Int32?) throws {
        let log = DeviceLog()
        try withSession(first: UnpluggablePCM(log: log, failAfterWrites: 20), priority: priority, open: { () throws(ALSAError) -> UnpluggablePCM in
            // Three more attempts find nothing (snd_pcm_open: -ENOENT), the fourth finds the card back.
            if log.add(log.openAttempts) <= 3 { throw ALSAError(code: -2, call: "snd_pcm_open") }
            return UnpluggablePCM(log: log)
        }) { session, engine in
            _ = try session.start()
            session.ring.push(RingEvent(message: .noteOn(channel: 0, key: 60, velocity: 100), arrivalNanoseconds: MonotonicClock.now()))
            var now: Int64 = 1_000_000
            do { let ok = pollWhilePlaying(&session, now: now) == .lost(code: -19); #expect(ok) }
            do { let ok = session.state == .away(nextAttempt: now + 1000); #expect(ok) }
            #expect(log.count(log.closed) == 1)
            // The loop's end silenced every channel: the note does not drone on the returning device.
            #expect(engine.pointee.activeVoiceCount == 0)
            #expect(Set(engine.pointee.recorded.filter { $0.message == .controlChange(channel: $0.message.channel, controller: 120, value: 0) }
                .map(\.message.channel)) == Set(0..<16))
            // Input that arrives while the device is away must not play when it returns.
            session.ring.push(RingEvent(message: .noteOn(channel: 0, key: 99, velocity: 100), arrivalNanoseconds: MonotonicClock.now()))

            // Nothing is tried before the retry interval, then one attempt per interval.
            do { let ok = session.poll(now: now + 999) == nil; #expect(ok) }
            #expect(log.count(log.openAttempts) == 0)
            for attempt in 1...3 {
                now += 1000
                do { let ok = session.poll(now: now) == nil; #expect(ok) }
                #expect(log.count(log.openAttempts) == attempt)
                do { let ok = session.reopenAttempts == attempt; #expect(ok) }
                do { let ok = session.lastOpenError?.code == -2; #expect(ok) }
            }
            now += 1000
            do { let ok = session.poll(now: now) == nil; #expect(ok) }
            #expect(log.count(log.opened) == 2)
            do { let ok = session.isPlaying; #expect(ok) }
            let restored = pollWhilePlaying(&session, now: now)
            do { let ok = restored == .restored(configuration: session.configuration, attempts: 4); #expect(ok) }
            do { let ok = session.discardedEvents == 1; #expect(ok) }
            #expect(log.count(log.closed) == 1)  // the reopened device stays open while it plays
            // It plays on: periods are written to the new device.
            let writes = log.count(log.writes)
            while log.count(log.writes) < writes + 10 { usleep(50) }
            do { let ok = session.poll(now: now) == nil; #expect(ok) }
            session.stop()
            #expect(log.count(log.closed) == 2)
            #expect(!engine.pointee.recorded.contains { $0.message.kind == .noteOn && $0.message.data1 == 99 })
        }
    }

    @Test func deviceThatStallsWithoutAnErrorIsLostAndReopened() throws {
        let log = DeviceLog()
        try withSession(first: UnpluggablePCM(log: log, failAfterWrites: 20, stalls: true), open: { () throws(ALSAError) -> UnpluggablePCM in
            UnpluggablePCM(log: log)
        }) { session, engine in
            _ = try session.start()
            let now: Int64 = 1_000_000
            do { let ok = pollWhilePlaying(&session, now: now) == .lost(code: AudioLoop<UnpluggablePCM>.stallCode); #expect(ok) }
            #expect(log.count(log.closed) == 1)
            do { let ok = session.poll(now: now + 1000) == nil; #expect(ok) }
            let restored = pollWhilePlaying(&session, now: now + 1000)
            do { let ok = restored == .restored(configuration: session.configuration, attempts: 1); #expect(ok) }
        }
    }

    @Test func deviceFailingBeforeItEverPlayedIsNotWaitedFor() throws {
        let log = DeviceLog()
        try withSession(first: UnpluggablePCM(log: log, failAfterWrites: 0, failureCode: -5), open: { () throws(ALSAError) -> UnpluggablePCM in
            log.add(log.openAttempts)
            return UnpluggablePCM(log: log)
        }) { session, _ in
            _ = try session.start()
            do { let ok = pollWhilePlaying(&session, now: 0) == .failedAtStart(code: -5); #expect(ok) }
            do { let ok = session.state == .stopped; #expect(ok) }
            do { let ok = session.poll(now: 1_000_000_000) == nil; #expect(ok) }
            #expect(log.count(log.openAttempts) == 0)
            #expect(log.count(log.closed) == 1)
        }
    }

    /// A device that comes back only to fail again at once is the same outage: said once,
    /// and the session keeps trying.
    @Test func reopenedDeviceFailingAtOnceIsTheSameOutage() throws {
        let log = DeviceLog()
        try withSession(first: UnpluggablePCM(log: log, failAfterWrites: 5), open: { () throws(ALSAError) -> UnpluggablePCM in
            let attempt = log.add(log.openAttempts)
            return UnpluggablePCM(log: log, failAfterWrites: attempt == 1 ? 0 : nil, failureCode: -77)  // EBADFD, then fine
        }) { session, _ in
            _ = try session.start()
            var now: Int64 = 0
            do { let ok = pollWhilePlaying(&session, now: now) == .lost(code: -19); #expect(ok) }
            now += 1000
            #expect(session.poll(now: now) == nil)  // opens attempt 1, which fails at its first write
            do { let ok = pollWhilePlaying(&session, now: now) == nil; #expect(ok) }
            do { let ok = session.state == .away(nextAttempt: now + 1000); #expect(ok) }
            now += 1000
            do { let ok = session.poll(now: now) == nil; #expect(ok) }
            do { let ok = pollWhilePlaying(&session, now: now) == .restored(configuration: session.configuration, attempts: 2); #expect(ok) }
        }
    }

    /// The engine runs at the first device's rate: a device that comes back at another rate is
    /// refused (and tried again later).
    @Test func deviceBackAtAnotherRateIsRefused() throws {
        let log = DeviceLog()
        try withSession(first: UnpluggablePCM(log: log, failAfterWrites: 5), open: { () throws(ALSAError) -> UnpluggablePCM in
            log.add(log.openAttempts)
            return UnpluggablePCM(log: log, rate: 44100)
        }) { session, _ in
            _ = try session.start()
            do { let ok = pollWhilePlaying(&session, now: 0) == .lost(code: -19); #expect(ok) }
            do { let ok = session.poll(now: 1000) == nil; #expect(ok) }
            do { let ok = session.state == .away(nextAttempt: 2000); #expect(ok) }
            do { let ok = session.lastOpenError?.description.contains("44100 Hz") == true; #expect(ok) }
            #expect(log.count(log.closed) == 2)  // the refused one is closed too
        }
    }

    @Test func stopWhileAwayEndsCleanly() throws {
        let log = DeviceLog()
        try withSession(first: UnpluggablePCM(log: log, failAfterWrites: 3), open: { () throws(ALSAError) -> UnpluggablePCM in
            throw ALSAError(code: -2, call: "snd_pcm_open")
        }) { session, _ in
            _ = try session.start()
            let event = pollWhilePlaying(&session, now: 0)
            #expect(event == .lost(code: -19))
            session.stop()
            do { let ok = session.state == .stopped; #expect(ok) }
            #expect(log.count(log.closed) == 1)
        }
    }
}
