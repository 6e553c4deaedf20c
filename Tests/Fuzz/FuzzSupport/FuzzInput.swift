// The parsers under fuzz read files (they memory-map them), so each input is
// written to one file per process in /dev/shm, a RAM file system, and the
// parser opens that: the production code path, with no bytes-based entry
// point added only for fuzzing.

#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The fuzzer's current input, as a file.
public enum FuzzInput {
    /// One fixed file per process, so parallel fuzzers never share inputs.
    public static let path = "/dev/shm/ember-fuzz-\(getpid())"
    public static let url = URL(fileURLWithPath: path)

    /// Replaces the file's contents with `size` bytes at `data`. A failure
    /// to write is the harness's fault, never a finding, so it stops the run.
    public static func write(_ data: UnsafePointer<UInt8>, _ size: Int) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("fuzz harness: cannot create \(path)") }
        defer { close(fd) }
        var written = 0
        while written < size {
            let n = Glibc.write(fd, data + written, size - written)
            guard n > 0 else { fatalError("fuzz harness: cannot write \(path)") }
            written += n
        }
        _ = registerCleanup
    }

    /// Removes the file when the fuzzer exits normally (a crash leaves it for inspection).
    private static let registerCleanup: Void = {
        atexit { unlink(FuzzInput.path) }
    }()
}
