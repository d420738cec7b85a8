extension MidiFile {
    /// Every program number a channel can hold while this file plays: 0 (the power-on program,
    /// and what a reset or a GS rhythm-part sysex sets) and that of each program change, on any
    /// channel. Banks are left out on purpose: which bank a channel reaches depends on the
    /// bank-select style, GM/GS/XG resets and drum parts (sysex, XG MSB 127), so a caller keeping
    /// samples for these programs keeps them in every bank (`SoundFont.samplesReachable(byPrograms:)`).
    public var selectablePrograms: Set<Int> {
        var programs: Set<Int> = [0]
        var iterator = makeEventIterator()
        while let event = iterator.next() {
            if event.message.kind == .programChange { programs.insert(Int(event.message.data1) & 127) }
        }
        return programs
    }
}
