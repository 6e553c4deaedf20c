// The memory behind tensors. Views share one Storage; a tensor is a shape,
// strides and an offset into it.

import Foundation

/// A 64-byte-aligned block of memory shared by a tensor and its views.
///
/// Storage is a reference type: every view of a tensor writes to the same
/// bytes, which is how in-place ops reach through views.
public final class Storage: @unchecked Sendable {
    /// Bytes in the block.
    public let byteCount: Int
    package let data: UnsafeMutableRawPointer
    private let release: (@Sendable (UnsafeMutableRawPointer) -> Void)?

    /// Allocates `byteCount` uninitialized bytes.
    package init(byteCount: Int) {
        self.byteCount = byteCount
        var p: UnsafeMutableRawPointer?
        let rc = posix_memalign(&p, 64, Swift.max(byteCount, 64))
        precondition(rc == 0 && p != nil, "Storage: cannot allocate \(byteCount) bytes")
        data = p!
        release = { free($0) }
    }

    /// Wraps memory owned elsewhere (an mmap'd file); `release` runs on deinit.
    package init(wrapping data: UnsafeMutableRawPointer, byteCount: Int,
                 release: (@Sendable (UnsafeMutableRawPointer) -> Void)?) {
        self.data = data
        self.byteCount = byteCount
        self.release = release
    }

    deinit { release?(data) }
}
