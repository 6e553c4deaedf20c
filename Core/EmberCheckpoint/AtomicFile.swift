// Writing a file so that no reader ever sees it half-written: into a
// temporary file beside the destination, flushed, then renamed over it.
// Every checkpoint writer and image writer goes through here.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an atomic write failed: the destination and the system's reason.
package struct AtomicWriteFailure: Error {
    package let path: String
    package let reason: String
}

/// A file being written; `commit()` publishes it under its final name, and
/// dropping it uncommitted removes the temporary file.
package final class AtomicFile {
    package let path: String
    private let temporary: String
    private var fd: Int32
    /// Bytes written so far (zip writers need their own offsets).
    private(set) var offset = 0

    package init(_ url: URL) throws(AtomicWriteFailure) {
        path = url.path
        temporary = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
        fd = openExclusive(temporary)
        guard fd >= 0 else { throw AtomicWriteFailure(path: path, reason: "creating \(temporary): \(errnoText())") }
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporary)
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicWriteFailure) {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw AtomicWriteFailure(path: path, reason: "write: \(errnoText())")
            }
            done += n
        }
        offset += bytes.count
    }

    package func write(_ bytes: [UInt8]) throws(AtomicWriteFailure) {
        // withUnsafeBytes rethrows untyped errors, so the typed one is carried out.
        let failure: AtomicWriteFailure? = bytes.withUnsafeBytes { b in
            do throws(AtomicWriteFailure) { try write(b); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Flushes, closes and renames over the destination. Flushed before the
    /// rename, so a crash cannot leave the new name on an empty file.
    package func commit() throws(AtomicWriteFailure) {
        guard fsync(fd) == 0 else { throw AtomicWriteFailure(path: path, reason: "fsync: \(errnoText())") }
        let result = close(fd)
        fd = -1
        guard result == 0 else {
            unlink(temporary)
            throw AtomicWriteFailure(path: path, reason: "close: \(errnoText())")
        }
        guard rename(temporary, path) == 0 else {
            let reason = "renaming \(temporary): \(errnoText())"
            unlink(temporary)
            throw AtomicWriteFailure(path: path, reason: reason)
        }
    }
}

// At file scope, where `open` and `write` are the C calls.
private func openExclusive(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
}

private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }

func errnoText() -> String { String(cString: strerror(errno)) }

extension AtomicFile {
    /// Writes `bytes` to `url` in one atomic replacement.
    package static func write(_ bytes: [UInt8], to url: URL) throws(AtomicWriteFailure) {
        let file = try AtomicFile(url)
        try file.write(bytes)
        try file.commit()
    }
}
