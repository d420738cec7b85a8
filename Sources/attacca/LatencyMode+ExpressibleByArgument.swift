import ArgumentParser
import AttaccaALSA

/// `--latency-mode lowest|constant`.
extension LatencyMode: ExpressibleByArgument {}
