extension SoundFont {
    /// One flag per sample header: whether a note can sound it when channels only ever select
    /// `programs` (`MidiFile.selectablePrograms`), for `decompressed(with:wanted:concurrently:)`.
    ///
    /// Conservative, so no note the full font would sound goes silent: every preset with one of
    /// these programs counts, in every bank (the bank a channel reaches depends on the bank-select
    /// style, resets, drum parts and font-stack bank offsets), as do the presets the synthesizer
    /// falls back on (`RegionTable.findPreset`): program 0 in any bank (bank 0 program 0, the
    /// drum kit of bank 128 program 0) and the preset with the lowest bank and program. Each
    /// counted preset keeps every sample of every instrument it names, whatever the keys, and
    /// their linked (stereo) samples.
    public func samplesReachable(byPrograms programs: Set<Int>) -> [Bool] {
        var reachable = [Bool](repeating: false, count: samples.count)
        // The last resort of the lookup: the lowest (bank, program) with a program it indexes (in a
        // stack, bank offsets move banks but keep this order).
        let lowest = presets.indices.filter { (0..<128).contains(presets[$0].program) }
            .min { (presets[$0].bank, presets[$0].program, $0) < (presets[$1].bank, presets[$1].program, $1) }
        for (index, preset) in presets.enumerated()
        where (0..<128).contains(preset.program) && (programs.contains(preset.program) || preset.program == 0) || index == lowest {
            for presetZone in preset.zones {
                guard let instrumentIndex = presetZone.instrumentIndex, instrumentIndex < instruments.count else { continue }
                for zone in instruments[instrumentIndex].zones {
                    guard let sampleIndex = zone.sampleIndex, sampleIndex < samples.count else { continue }
                    reachable[sampleIndex] = true
                    // Right, left or linked (sampleType 2, 4, 8): its partner too; mono ones' links mean nothing.
                    let link = samples[sampleIndex].sampleLink
                    if samples[sampleIndex].sampleType & 0xE != 0 && link >= 0 && link < samples.count { reachable[link] = true }
                }
            }
        }
        return reachable
    }
}
