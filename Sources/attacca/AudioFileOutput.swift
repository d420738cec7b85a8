import AttaccaAudioFile

/// Holds the render's `AudioFileWriter` (non-copyable) so that `RenderJob`, a copyable visitor,
/// can write through it. The writer is created before the engine, so an unwritable output is
/// reported before a long SoundFont load, and its temporary file goes away with this object
/// when anything fails.
final class AudioFileOutput {
    var writer: AudioFileWriter

    init(_ writer: consuming AudioFileWriter) {
        self.writer = writer
    }
}
