/// Thrown out of the render loop when the user pressed Ctrl-C (or the process got SIGTERM).
struct RenderInterrupted: Error {}
