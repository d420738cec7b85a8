import CFluidSynth
import Glibc

/// Keeps FluidSynth's log off stderr: the CLI reports failures as its own one-line errors. The
/// first error message since `clear()` is kept (in a fixed buffer, so a log call from the render
/// path never allocates) for `FluidSynthError` to quote: it names the cause, later ones only say
/// that loading failed.
enum FluidSynthLog {
    private static let capacity = 512
    nonisolated(unsafe) private static let firstError: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        return buffer
    }()

    /// Installs the handlers once; FluidSynth's log configuration is process-wide.
    static let install: Void = {
        _ = firstError
        let keep: fluid_log_function_t = { level, message, _ in
            guard let message, FluidSynthLog.firstError[0] == 0 else { return }
            strncpy(FluidSynthLog.firstError, message, FluidSynthLog.capacity - 1)
        }
        let ignore: fluid_log_function_t = { _, _, _ in }
        _ = FluidSynthLibrary.api.fluid_set_log_function!(Int32(FLUID_PANIC.rawValue), keep, nil)
        _ = FluidSynthLibrary.api.fluid_set_log_function!(Int32(FLUID_ERR.rawValue), keep, nil)
        _ = FluidSynthLibrary.api.fluid_set_log_function!(Int32(FLUID_WARN.rawValue), ignore, nil)
        _ = FluidSynthLibrary.api.fluid_set_log_function!(Int32(FLUID_INFO.rawValue), ignore, nil)
        _ = FluidSynthLibrary.api.fluid_set_log_function!(Int32(FLUID_DBG.rawValue), ignore, nil)
        silenceGLib()
    }()

    /// Debian's FluidSynth tries libinstpatch's DLS reader on files its SF2 loader rejects, and
    /// libinstpatch reports through GLib's log ("** CRITICAL **: ipatch_..."), straight to stderr.
    /// GLib is already loaded with FluidSynth; its default log handler is replaced by one that
    /// drops messages. Found with dlsym so nothing links against GLib.
    private static func silenceGLib() {
        guard let glib = dlopen("libglib-2.0.so.0", RTLD_LAZY | RTLD_NOLOAD),
              let symbol = dlsym(glib, "g_log_set_default_handler") else { return }
        typealias LogFunction = @convention(c) (UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void
        typealias SetDefaultHandler = @convention(c) (LogFunction?, UnsafeMutableRawPointer?) -> LogFunction?
        let setDefaultHandler = unsafeBitCast(symbol, to: SetDefaultHandler.self)
        _ = setDefaultHandler({ _, _, _, _ in }, nil)
    }

    /// Forgets any earlier error, so `takeFirstError()` reports only what happens from now on.
    static func clear() { firstError[0] = 0 }

    /// The first error FluidSynth logged since `clear()`, if any.
    static func takeFirstError() -> String? {
        guard firstError[0] != 0 else { return nil }
        defer { clear() }
        return String(cString: firstError)
    }
}
