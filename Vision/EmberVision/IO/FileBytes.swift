// Whole-file reads and atomic writes with POSIX calls, so every failure
// carries the system's own reason (strerror) and the path.

import EmberCheckpoint
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every byte of the regular file at `path`.
func readFileBytes(_ path: String) throws(ImageError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: systemReason()) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: systemReason()) }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
    let size = Int(info.st_size)
    var failure: String?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        var done = 0
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = systemReason(); break }
            if n == 0 { break }  // shrank while reading
            done += n
        }
        initialized = done
    }
    if let failure { throw .cannotOpen(path: path, reason: failure) }
    return bytes
}

/// Writes `bytes` to a temporary file beside `path`, flushes it and renames it
/// over `path` (EmberCheckpoint's `AtomicFile`), so no reader ever sees a
/// half-written image; on failure the destination is untouched.
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    do throws(AtomicWriteFailure) {
        let file = try AtomicFile(URL(fileURLWithPath: path))
        try file.write(bytes)
        try file.commit()
    } catch {
        throw .writeFailed(path: path, reason: error.reason)
    }
}

private func systemReason() -> String { String(cString: strerror(errno)) }
