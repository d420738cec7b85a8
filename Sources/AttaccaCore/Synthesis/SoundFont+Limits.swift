extension SoundFont {
    /// Throws what `Synthesizer.init` would throw about this font's size: more regions (preset
    /// zones × instrument zones) than its content allows, or a zone naming a missing sample.
    /// For callers that hand the file to another engine (FluidSynth hangs on such fonts).
    public func checkSynthesisLimits() throws(SynthesizerError) {
        try RegionTable.checkLimits(self)
    }
}
