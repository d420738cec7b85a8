import ArgumentParser

/// An `on|off` option value (`--limiter`, `--dither`).
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on
    case off
}
