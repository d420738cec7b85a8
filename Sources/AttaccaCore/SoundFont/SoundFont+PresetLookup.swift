extension SoundFont {
    /// The first preset with this bank and program, in file order (nil when there is none).
    public func preset(bank: Int, program: Int) -> Preset? {
        presets.first { $0.bank == bank && $0.program == program }
    }
}
