import AttaccaCore

/// Work to do with whichever engine `EngineOptions.withEngine` builds. The engines are
/// non-copyable and of different types, so the caller's code comes to the engine rather than the
/// engine being returned: `visit` is specialized for each engine type.
protocol EngineVisitor {
    associatedtype Result
    func visit<E: SoundEngine & ~Copyable>(_ engine: inout E) throws -> Result
}
