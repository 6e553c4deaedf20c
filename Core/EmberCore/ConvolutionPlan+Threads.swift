// How ConvolutionPlan's passes share the threads. With a batch of at least
// one image per thread, each thread takes a contiguous run of images and does
// their unfold, GEMM and copies on its own scratch: no synchronisation inside
// a pass, and each image's columns stay in that core's cache. Splitting every
// GEMM instead (the only way for a single image) makes both threads stream
// the same memory-bound im2col/col2im passes and meet at a barrier per image.

import EmberKernels

/// The scratch one part of a split pass works in.
struct ConvolutionWorkspace {
    let part: Int
    /// `[k, images·plane]` column matrix (nil for pointwise per-image passes, which read the input itself).
    let columns: UnsafeMutableRawPointer?
    /// `[coutG, images·plane]` product rows of the batched (small-plane) path.
    let rows: UnsafeMutableRawPointer?
}

/// A batch cut into `parts` runs of images, one per thread, with each part's scratch.
struct ConvolutionImageSplit {
    let n: Int, parts: Int
    /// Images per column matrix within a part (batched path).
    let chunk: Int
    private let storage: [Tensor]
    private let spaces: [ConvolutionWorkspace]

    /// With `shifted`, each part's scratch is one image's padded planes and product rows (see ShiftedRowsLayout).
    init(plan: ConvolutionPlan, shifted: ShiftedRowsLayout? = nil) {
        let threads = Parallel.threadCount
        let flops = plan.n * plan.cout * plan.k * plan.outPlane
        // Whole images per thread only when that balances (equal runs, or many
        // images each) and the pass is worth a dispatch.
        let byImage = threads >= 2 && plan.n >= threads && (plan.n % threads == 0 || plan.n >= 4 * threads)
            && flops >= 1 << 20
        n = plan.n
        parts = byImage ? threads : 1
        let per = (plan.n + parts - 1) / parts
        chunk = Swift.min(plan.chunk, Swift.max(per, 1))
        var storage: [Tensor] = [], spaces: [ConvolutionWorkspace] = []
        for p in 0..<parts {
            var columns: UnsafeMutableRawPointer?, rows: UnsafeMutableRawPointer?
            if let shifted {
                let c = Tensor(uninitializedShape: [shifted.count(channels: plan.cinG)], dtype: plan.type)
                let r = Tensor(uninitializedShape: [plan.coutG * shifted.columns], dtype: plan.type)
                storage += [c, r]
                (columns, rows) = (c.rawPointer, r.rawPointer)
            } else if plan.isPerImage {
                if !plan.isPointwise {
                    let t = Tensor(uninitializedShape: [plan.k * plan.outPlane], dtype: plan.type)
                    storage.append(t)
                    columns = t.rawPointer
                }
            } else {
                let c = Tensor(uninitializedShape: [plan.k * chunk * plan.outPlane], dtype: plan.type)
                let r = Tensor(uninitializedShape: [plan.coutG * chunk * plan.outPlane], dtype: plan.type)
                storage += [c, r]
                (columns, rows) = (c.rawPointer, r.rawPointer)
            }
            spaces.append(ConvolutionWorkspace(part: p, columns: columns, rows: rows))
        }
        self.storage = storage
        self.spaces = spaces
    }

    /// Whether the passes inside one part may use the threads themselves (only when there is one part).
    var threadedParts: Bool { parts == 1 }

    /// Calls `body` with each part's images and scratch, the parts in parallel.
    func run(_ body: (Range<Int>, ConvolutionWorkspace) -> Void) {
        if parts == 1 {
            body(0..<n, spaces[0])
            return
        }
        let per = (n + parts - 1) / parts
        withExtendedLifetime(storage) {
            Parallel.forRange(parts, grain: 1) { range in
                for p in range where p * per < n { body(p * per..<Swift.min(n, (p + 1) * per), spaces[p]) }
            }
        }
    }
}

extension ConvolutionPlan {
    func imageSplit(shifted: ShiftedRowsLayout? = nil) -> ConvolutionImageSplit {
        ConvolutionImageSplit(plan: self, shifted: shifted)
    }

    /// Whether the forward GEMM over `images` images packs its columns
    /// straight from the input (`convolutionGEMM`) instead of unfolding them first.
    func packsColumns(images: Int, threaded: Bool) -> Bool {
        !isPointwise && convolutionGEMMApplies(type: type, m: coutG, n: images * outPlane, k: k, threaded: threaded)
    }

    /// The forward product of group `g` for images `b0..<b0+images` into
    /// `[coutG, images·plane]` rows at `target`, without a column matrix.
    func packedForward(_ x: Tensor, _ w: Tensor, image b0: Int, images: Int, group g: Int,
                       into target: UnsafeMutableRawPointer, threaded: Bool) {
        let source = x.rawPointer + ((b0 * cin + g * cinG) * inPlane) * item
        let columns = ConvolutionColumns(x: source.assumingMemoryBound(to: Float.self), channels: cinG, window: window,
                                         imageStride: cin * inPlane)
        let weights = (w.rawPointer + g * coutG * k * item).assumingMemoryBound(to: Float.self)
        convolutionGEMM(m: coutG, n: images * outPlane, k: k, weights, lda: k, columns,
                        target.assumingMemoryBound(to: Float.self), ldc: images * outPlane, threaded: threaded)
    }

    /// Moves between `[coutG, images, plane]` rows and the output planes of
    /// images `b0..<b0+images`, group `g`, of `y` (`toImages`) or back.
    /// Plain copies, so it is safe on a worker thread.
    func exchange(_ matrix: UnsafeMutableRawPointer, _ y: Tensor, b0: Int, images: Int, group g: Int, toImages: Bool) {
        let bytes = outPlane * item
        for c in 0..<coutG {
            for i in 0..<images {
                let row = matrix + ((c * images + i) * outPlane) * item
                let plane = y.rawPointer + (((b0 + i) * cout + g * coutG + c) * outPlane) * item
                if toImages { plane.copyMemory(from: row, byteCount: bytes) } else { row.copyMemory(from: plane, byteCount: bytes) }
            }
        }
    }
}
