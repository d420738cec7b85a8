import ArgumentParser
import AttaccaALSA

/// `--render-lead auto|off|MICROSECONDS` (`RenderLead.init(argument:)` parses it).
extension RenderLead: ExpressibleByArgument {
    public var defaultValueDescription: String { argument }
}
