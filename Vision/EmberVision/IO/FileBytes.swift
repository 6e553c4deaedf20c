// Whole-file reads and atomic writes with POSIX calls, so every failure
// carries the system's own reason (strerror) and the path.

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
/// over `path`, so no reader ever sees a half-written image; on failure the
/// temporary file is removed and the destination is untouched.
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .writeFailed(path: path, reason: "creating \(temporary): \(systemReason())") }
    var failure: String?
    bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = "write: \(systemReason())"; return }
            done += n
        }
    }
    if failure == nil && fsync(fd) != 0 { failure = "fsync: \(systemReason())" }
    if close(fd) != 0 && failure == nil { failure = "close: \(systemReason())" }
    if failure == nil && rename(temporary, path) != 0 { failure = "renaming \(temporary): \(systemReason())" }
    if let failure {
        unlink(temporary)
        throw .writeFailed(path: path, reason: failure)
    }
}

private func systemReason() -> String { String(cString: strerror(errno)) }
