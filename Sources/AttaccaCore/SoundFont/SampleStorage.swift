#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind a SoundFont's sample data: a file mapping or buffers it allocated.
enum SampleStorage {
    /// `mmap`ed file: base address and length, unmapped on release.
    case mapped(UnsafeMutableRawPointer, Int)
    /// Buffers from `allocate`, deallocated on release.
    case allocated(UnsafeMutableRawPointer, UnsafeMutableRawPointer?)
    /// Another font's samples: the reference keeps that font (and its storage) alive.
    case shared(SoundFont)
    /// Nothing to release.
    case none

    func release() {
        switch self {
        case .mapped(let base, let length):
            MappedFileGuard.unregister(base)
            munmap(base, length)
        case .allocated(let a, let b):
            a.deallocate()
            b?.deallocate()
        case .shared, .none:
            break
        }
    }
}
