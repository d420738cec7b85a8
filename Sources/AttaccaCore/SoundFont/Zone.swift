/// A preset or instrument zone: generators and modulators. In an instrument zone
/// `generators[.sampleID]` names the sample; in a preset zone `generators[.instrument]` names
/// the instrument. A global zone has neither.
public struct Zone: Equatable, Sendable {
    public var generators: GeneratorSet
    public var modulators: [Modulator]

    public init(generators: GeneratorSet = GeneratorSet(), modulators: [Modulator] = []) {
        self.generators = generators
        self.modulators = modulators
    }
}
