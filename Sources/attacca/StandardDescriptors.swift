import Glibc

/// Descriptors 0, 1 and 2 opened onto /dev/null when the process starts without them
/// (`2>&-`): otherwise the next file opened (the temporary audio file) would take number 2, and
/// every stderr line would be written into the audio data.
enum StandardDescriptors {
    static func ensureOpen() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            // open takes the lowest free number: this one, as the lower ones are open by now.
            let opened = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != descriptor { close(opened) }
        }
    }
}
