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
    /// Bumped by every in-place write, so autograd can tell that a tensor it
    /// saved for backward was changed afterwards (PyTorch's version counter).
    package var version = 0
    private let release: (@Sendable (UnsafeMutableRawPointer) -> Void)?

    /// Allocates `byteCount` uninitialized bytes (large blocks may be reused).
    package init(byteCount: Int) {
        self.byteCount = byteCount
        let (p, size) = BlockCache.allocate(byteCount)
        data = p
        release = { BlockCache.release($0, size: size) }
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
