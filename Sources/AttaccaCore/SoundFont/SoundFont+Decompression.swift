extension SoundFont {
    /// sampleType bit of an SF3 sample whose data is an Ogg Vorbis stream (FluidSynth's
    /// FLUID_SAMPLETYPE_OGG_VORBIS).
    public static var compressedSampleType: Int { 0x10 }

    /// Zero points after every sample of the decoded pool, as in SF2 (interpolation reads past the end).
    static var guardPoints: Int { 46 }

    /// Whether this is an SF3 (version 3.x) with a compressed sample: such a font must go through
    /// `decompressed(with:)` before a `Synthesizer` plays it. In a 2.x font the bit means nothing
    /// (the reader checks those samples' offsets like any other's).
    public var hasCompressedSamples: Bool {
        info.versionMajor == 3 && samples.contains { Self.isCompressed($0) }
    }

    static func isCompressed(_ sample: SampleHeader) -> Bool {
        sample.sampleType & compressedSampleType != 0 && sample.sampleType & 0x8000 == 0
    }

    /// What becomes of one sample in the decoded pool.
    private enum Fate {
        /// ROM sample (sampleType bit 0x8000): no points.
        case rom
        /// Compressed, decoded into the pool.
        case decoded
        /// Compressed but not wanted: no points, never decoded.
        case skipped
        /// Uncompressed: its points copied.
        case copied
    }

    /// This font with its compressed samples decoded into one 16-bit pool, as FluidSynth reads SF3
    /// (fluid_sffile.c, fluid_defsfont.c): a compressed sample's start...end are byte offsets of
    /// its stream in smpl (end inclusive), its loop points count from the decoded sample's first
    /// point. Each sample is followed by 46 zero points, as in SF2; headers are rewritten to
    /// point-based SF2 form (loop points repaired like the reader's, the compressed bit cleared).
    /// Uncompressed samples are copied over unchanged. sm24 data, if any, is dropped.
    ///
    /// Every stream's length is asked first (`decodedLength(of:)`), the pool is allocated once
    /// and each stream decodes straight into its place, the longest first, on the threads
    /// `loop` brings: the result does not depend on `loop`.
    ///
    /// `wanted` (one flag per sample header, e.g. from `samplesReachable(byPrograms:)`) leaves the
    /// other compressed samples undecoded: zero points (then 46 zeros), compressed bit cleared, so
    /// a voice on one would be silent. Their byte ranges are still checked.
    ///
    /// Errors name the sample: with several bad ones, the first in header order among those found
    /// by the first stage that fails (byte ranges and lengths, then decoding).
    public func decompressed(with decoder: some CompressedSampleDecoder, wanted: [Bool]? = nil,
                             concurrently loop: ConcurrentLoop = .sequential) throws -> SoundFont {
        let raw = UnsafeRawBufferPointer(sampleData)
        let count = samples.count
        let isSF3 = info.versionMajor == 3
        var fates: [Fate] = []
        fates.reserveCapacity(count)
        var failures = [CompressedSampleError?](repeating: nil, count: count)
        for (index, sample) in samples.enumerated() {
            if sample.sampleType & 0x8000 != 0 {
                fates.append(.rom)
            } else if isSF3 && Self.isCompressed(sample) {
                if !(sample.start <= sample.end && sample.start < raw.count) {
                    failures[index] = .outOfRange(sample: sample.name, start: sample.start, end: sample.end, chunkBytes: raw.count)
                }
                let isWanted = wanted.map { index < $0.count && $0[index] } ?? true
                fates.append(isWanted && failures[index] == nil ? .decoded : .skipped)
            } else {
                fates.append(.copied)
            }
        }
        func stream(_ sample: SampleHeader) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: raw[sample.start..<min(sample.end + 1, raw.count)])
        }

        // 1. Lengths: compressed ones from the decoder (in parallel), the others from the header.
        let decodedIndices = fates.indices.filter { fates[$0] == .decoded }
        var lengths = [Int](repeating: 0, count: count)
        for index in 0..<count where fates[index] == .copied { lengths[index] = max(0, samples[index].end - samples[index].start) }
        lengths.withUnsafeMutableBufferPointer { lengths in
            failures.withUnsafeMutableBufferPointer { failures in
                loop.run(decodedIndices.count) { position in
                    let index = decodedIndices[position]
                    do {
                        lengths[index] = try decoder.decodedLength(of: stream(samples[index]))
                    } catch {
                        failures[index] = .undecodable(sample: samples[index].name, reason: "\(error)")
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }

        // 2. Layout: the samples in header order, each followed by its zeros; headers rewritten.
        var headers: [SampleHeader] = []
        headers.reserveCapacity(count)
        var bases = [Int](repeating: 0, count: count)
        var total = 0
        for (index, sample) in samples.enumerated() {
            var header = sample
            let points = lengths[index]
            var loopStart: Int, loopEnd: Int
            switch fates[index] {
            case .rom, .skipped:
                loopStart = 0
                loopEnd = 0
            case .decoded:
                loopStart = sample.loopStart
                loopEnd = sample.loopEnd
            case .copied:
                loopStart = sample.loopStart - sample.start
                loopEnd = sample.loopEnd - sample.start
            }
            if fates[index] == .decoded || fates[index] == .skipped { header.sampleType &= ~Self.compressedSampleType }
            if loopStart > loopEnd { swap(&loopStart, &loopEnd) }
            if loopStart < 0 || loopStart > points { loopStart = 0 }
            if loopEnd < 0 || loopEnd > points { loopEnd = points }
            bases[index] = total
            header.start = total
            header.end = total + points
            header.loopStart = total + loopStart
            header.loopEnd = total + loopEnd
            headers.append(header)
            total += points + Self.guardPoints
        }

        // 3. One pool; the zeros written here, the points by the decoder or a copy, longest first.
        let pool = UnsafeMutableBufferPointer<Int16>.allocate(capacity: max(total, 1))
        for index in 0..<count {
            (pool.baseAddress! + bases[index] + lengths[index]).initialize(repeating: 0, count: Self.guardPoints)
        }
        let filled = fates.indices.filter { (fates[$0] == .decoded || fates[$0] == .copied) && lengths[$0] > 0 }
            .sorted { (lengths[$0], $1) > (lengths[$1], $0) }
        failures.withUnsafeMutableBufferPointer { failures in
            loop.run(filled.count) { position in
                let index = filled[position]
                let sample = samples[index]
                let destination = UnsafeMutableBufferPointer(start: pool.baseAddress! + bases[index], count: lengths[index])
                if fates[index] == .copied {
                    _ = destination.initialize(from: UnsafeBufferPointer(rebasing: sampleData[sample.start..<sample.end]))
                    return
                }
                do {
                    try decoder.decode(stream(sample), into: destination)
                } catch {
                    failures[index] = .undecodable(sample: sample.name, reason: "\(error)")
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first {
            pool.deallocate()
            throw failure
        }
        return SoundFont(info: info, presets: presets, instruments: instruments, samples: headers,
                         sampleData: UnsafeBufferPointer(rebasing: pool[0..<total]), sampleData24: nil,
                         storage: .allocated(UnsafeMutableRawPointer(pool.baseAddress!), nil))
    }
}
