import ArgumentParser

/// `on` or `off`, as `--reverb` and `--chorus` take (FluidSynth's synth.reverb.active).
enum EffectSwitch: String, CaseIterable, ExpressibleByArgument {
    case on
    case off
}
