// Reuses large freed blocks. Fresh memory from the kernel costs a page fault
// and a kernel-side zeroing per 4 KiB on first touch; for a 64 MB tensor that
// is a third of an add's time. A training loop frees and reallocates the same
// sizes every step, so blocks of 1 MiB and more go back to this cache instead
// of the system, up to a byte limit; the oldest leave first. A request takes
// the smallest cached block with at most a quarter to spare.

import EmberKernels
import Foundation
import Synchronization

/// Ember's cache of freed large tensor blocks.
///
/// ```swift
/// BlockCache.limit = 256 << 20   // keep at most 256 MiB of freed blocks
/// BlockCache.empty()             // return them all to the system
/// ```
public enum BlockCache {
    /// Blocks smaller than this go straight to malloc, which reuses them well.
    static let threshold = 1 << 20

    /// A freed block; only touched under the lock or after leaving the cache.
    private struct Block: @unchecked Sendable {
        let size: Int
        let pointer: UnsafeMutableRawPointer
    }

    private struct State {
        var blocks: [Block] = []
        var bytes = 0
        /// 2 GiB, or an eighth of the machine's memory if that is less: a
        /// DenseNet-121 training step at batch 8 frees about 2 GiB of
        /// activations, and re-faulting them cost 5% of the step.
        var limit = Swift.min(2048 << 20, Int(ProcessInfo.processInfo.physicalMemory / 8))
    }
    private static let state = Mutex(State())

    /// The most bytes of freed blocks kept for reuse (default 2 GiB, at most an
    /// eighth of physical memory); 0 disables the cache.
    public static var limit: Int {
        get { state.withLock { $0.limit } }
        set {
            let evicted = state.withLock { s -> [Block] in
                s.limit = Swift.max(0, newValue)
                return evict(&s, toFit: 0)
            }
            evicted.forEach { free($0.pointer) }
        }
    }

    /// Bytes currently held in freed blocks.
    public static var cachedBytes: Int { state.withLock { $0.bytes } }

    /// Returns every cached block to the system.
    public static func empty() {
        let all = state.withLock { s -> [Block] in
            defer { s.blocks.removeAll(); s.bytes = 0 }
            return s.blocks
        }
        all.forEach { free($0.pointer) }
    }

    private static func evict(_ s: inout State, toFit size: Int) -> [Block] {
        var out: [Block] = []
        while !s.blocks.isEmpty && s.bytes + size > s.limit {
            let b = s.blocks.removeFirst()
            s.bytes -= b.size
            out.append(b)
        }
        return out
    }

    /// A 64-byte-aligned block of at least `byteCount` bytes and its real size.
    static func allocate(_ byteCount: Int) -> (UnsafeMutableRawPointer, Int) {
        let size = byteCount >= threshold ? (byteCount + 4095) & ~4095 : Swift.max(byteCount, 64)
        if size >= threshold {
            // The smallest cached block that fits with at most a quarter to
            // spare: networks like DenseNet allocate many nearby sizes (each
            // concatenation a little wider), which exact matching would miss.
            let hit = state.withLock { s -> Block? in
                var best: Int? = nil
                for (i, b) in s.blocks.enumerated() where b.size >= size && b.size <= size + size / 4 {
                    if best == nil || b.size < s.blocks[best!].size { best = i }
                    if b.size == size { break }
                }
                guard let i = best else { return nil }
                s.bytes -= s.blocks[i].size
                return s.blocks.remove(at: i)
            }
            if let hit { return (hit.pointer, hit.size) }
        }
        var p: UnsafeMutableRawPointer?
        if posix_memalign(&p, 64, size) != 0 || p == nil {
            empty()  // cached blocks may be what stands in the way
            guard posix_memalign(&p, 64, size) == 0, let q = p else {
                emberTrap("Storage: cannot allocate \(byteCount) bytes")
            }
            return (q, size)
        }
        return (p!, size)
    }

    /// Takes back a block from `allocate`.
    static func release(_ pointer: UnsafeMutableRawPointer, size: Int) {
        if size < threshold { free(pointer); return }
        let block = Block(size: size, pointer: pointer)
        let evicted = state.withLock { s -> [Block] in
            if size > s.limit { return [block] }
            let out = evict(&s, toFit: size)
            s.blocks.append(block)
            s.bytes += size
            return out
        }
        evicted.forEach { free($0.pointer) }
    }
}
