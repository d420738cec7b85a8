import ArgumentParser
import AttaccaAudioFile

/// `--format wav|flac`.
extension AudioFileFormat: ExpressibleByArgument {}
