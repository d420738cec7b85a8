import CFluidSynth

/// libfluidsynth, opened at run time on first use (see CFluidSynth's shim.h for why it is not
/// linked). Every FluidSynth call goes through `api`; `FluidSynthEngine` checks `available` first,
/// so a missing library is a one-line error for the user, not a failure to start `attacca`.
enum FluidSynthLibrary {
    /// The function table, or why the library could not be opened. Loaded once, thread-safely.
    static let loaded: Result<attacca_fluid_api, FluidSynthError> = {
        var api = attacca_fluid_api()
        if let reason = attacca_fluid_load(&api) {
            return .failure(.libraryUnavailable(String(cString: reason)))
        }
        return .success(api)
    }()

    /// Throws when libfluidsynth cannot be used.
    static func available() throws(FluidSynthError) {
        if case .failure(let error) = loaded { throw error }
    }

    /// The functions; only after `available()` has not thrown.
    static var api: attacca_fluid_api {
        guard case .success(let api) = loaded else { preconditionFailure("libfluidsynth is not loaded") }
        return api
    }
}
