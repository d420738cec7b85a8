extension SoundFont {
    /// This font's info, presets and instruments playing `source`'s sample data through `samples`
    /// (headers that point into it), without copying a point: `source` lives as long as the
    /// result. An SF3's decoded samples read back from a cache file (an SF2 of its own) are
    /// joined to the SF3's own presets this way.
    public func sharingSamples(_ samples: [SampleHeader], of source: SoundFont) -> SoundFont {
        SoundFont(info: info, presets: presets, instruments: instruments, samples: samples,
                  sampleData: source.sampleData, sampleData24: source.sampleData24, storage: .shared(source))
    }
}
