// A whole file mapped into memory. Tensors read from it hold this object
// through their Storage's release closure, so the mapping lives exactly as
// long as the last tensor (or SafeTensors handle) that uses it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class MemoryMap: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let size: Int

    /// Maps `path`; files smaller than `minimumSize` are refused before mapping.
    init(path: String, minimumSize: Int) throws(SafeTensorsError) {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; non-regular
        // files are refused below anyway.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .cannotOpen(path: path, reason: "not a regular file")
        }
        size = Int(info.st_size)
        guard size >= minimumSize else { throw .fileTooSmall(path: path, byteCount: size) }
        // MAP_PRIVATE with PROT_WRITE: Ember tensors are mutable, and an
        // in-place op on a loaded weight must copy the page, not fault on a
        // read-only one or write through to the checkpoint on disk.
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw .cannotOpen(path: path, reason: "mmap: " + String(cString: strerror(errno)))
        }
        base = p
    }

    deinit { munmap(base, size) }
}
