extension SoundFont {
    /// sampleType bit of an SF3 sample whose data is an Ogg Vorbis stream (FluidSynth's
    /// FLUID_SAMPLETYPE_OGG_VORBIS).
    public static var compressedSampleType: Int { 0x10 }

    /// Whether this is an SF3 (version 3.x) with a compressed sample: such a font must go through
    /// `decompressed(with:)` before a `Synthesizer` plays it. In a 2.x font the bit means nothing
    /// (the reader checks those samples' offsets like any other's).
    public var hasCompressedSamples: Bool {
        info.versionMajor == 3 && samples.contains { Self.isCompressed($0) }
    }

    static func isCompressed(_ sample: SampleHeader) -> Bool {
        sample.sampleType & compressedSampleType != 0 && sample.sampleType & 0x8000 == 0
    }

    /// This font with every compressed sample decoded into one 16-bit pool, as FluidSynth reads SF3
    /// (fluid_sffile.c, fluid_defsfont.c): a compressed sample's start...end are byte offsets of
    /// its stream in smpl (end inclusive), its loop points count from the decoded sample's first
    /// point. Each decoded sample is followed by 46 zero points, as in SF2; headers are rewritten
    /// to point-based SF2 form (loop points repaired like the reader's, the compressed bit cleared).
    /// Uncompressed samples are copied over unchanged. sm24 data, if any, is dropped.
    public func decompressed(with decoder: some CompressedSampleDecoder) throws -> SoundFont {
        let raw = UnsafeRawBufferPointer(sampleData)
        var pool: [Int16] = []
        var headers: [SampleHeader] = []
        headers.reserveCapacity(samples.count)
        for sample in samples {
            var header = sample
            let points: [Int16]
            var loopStart: Int, loopEnd: Int
            if sample.sampleType & 0x8000 != 0 {
                points = []
                loopStart = 0
                loopEnd = 0
            } else if info.versionMajor == 3 && Self.isCompressed(sample) {
                guard sample.start <= sample.end, sample.start < raw.count else {
                    throw CompressedSampleError.outOfRange(sample: sample.name, start: sample.start, end: sample.end, chunkBytes: raw.count)
                }
                let stream = UnsafeRawBufferPointer(rebasing: raw[sample.start..<min(sample.end + 1, raw.count)])
                do {
                    points = try decoder.decode(stream)
                } catch {
                    throw CompressedSampleError.undecodable(sample: sample.name, reason: "\(error)")
                }
                loopStart = sample.loopStart
                loopEnd = sample.loopEnd
                header.sampleType &= ~Self.compressedSampleType
            } else {
                points = Array(sampleData[sample.start..<sample.end])
                loopStart = sample.loopStart - sample.start
                loopEnd = sample.loopEnd - sample.start
            }
            let base = pool.count
            pool.append(contentsOf: points)
            pool.append(contentsOf: repeatElement(0, count: 46))
            if loopStart > loopEnd { swap(&loopStart, &loopEnd) }
            if loopStart < 0 || loopStart > points.count { loopStart = 0 }
            if loopEnd < 0 || loopEnd > points.count { loopEnd = points.count }
            header.start = base
            header.end = base + points.count
            header.loopStart = base + loopStart
            header.loopEnd = base + loopEnd
            headers.append(header)
        }
        return SoundFont(info: info, presets: presets, instruments: instruments, samples: headers, sampleData: pool)
    }
}
