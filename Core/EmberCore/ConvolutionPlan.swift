// The three GEMM passes of a grouped 2-D convolution (forward, input
// gradient, weight gradient) on contiguous compute-type tensors. conv2d uses
// them in that order; conv_transpose2d is the same convolution run backwards
// (its forward is the input gradient), so both share this one engine.

import EmberKernels

/// Geometry of a grouped convolution from `[n, cin, inH, inW]` to `[n, cout, outH, outW]`
/// with weight `[cout, cin / groups, kh, kw]`.
struct ConvolutionPlan {
    let n: Int, cin: Int, cout: Int, groups: Int
    let window: Window2D
    let type: DType

    var cinG: Int { cin / groups }
    var coutG: Int { cout / groups }
    /// Rows of the column matrix: one per (input channel, kernel row, kernel column).
    var k: Int { cinG * window.kh * window.kw }
    var inPlane: Int { window.inH * window.inW }
    var outPlane: Int { window.outH * window.outW }
    var item: Int { type.itemSize }
    var inputShape: [Int] { [n, cin, window.inH, window.inW] }
    var outputShape: [Int] { [n, cout, window.outH, window.outW] }
    var weightShape: [Int] { [cout, cinG, window.kh, window.kw] }

    /// A 1×1, stride-1, unpadded kernel: the columns are the input itself.
    var isPointwise: Bool {
        window.kh == 1 && window.kw == 1 && window.sh == 1 && window.sw == 1 && window.ph == 0 && window.pw == 0
    }

    /// Planes large enough for one GEMM per image, reading and writing the
    /// images in place; smaller ones batch images into shared column matrices.
    var isPerImage: Bool { isPointwise || outPlane >= 1024 }

    /// One filter per channel: direct loops beat a GEMM with one output row.
    var isDepthwise: Bool { groups == cin && cin == cout }

    /// Images per column matrix: several images share one `[k, images·plane]`
    /// matrix, so each group is one large GEMM instead of one small GEMM per image.
    var chunk: Int { Swift.max(1, Swift.min(n, (16 << 20) / Swift.max(k * outPlane * item, 1))) }

    private func inputPointer(_ x: Tensor, image: Int, group: Int) -> UnsafeMutableRawPointer {
        x.rawPointer + ((image * cin + group * cinG) * inPlane) * item
    }

    private func outputPointer(_ y: Tensor, image: Int, group: Int) -> UnsafeMutableRawPointer {
        y.rawPointer + ((image * cout + group * coutG) * outPlane) * item
    }

    private func weightOperand(_ w: Tensor, group: Int, transposed: Bool) -> MatrixOperand {
        MatrixOperand(pointer: w.rawPointer + group * coutG * k * item, transposed: transposed, ld: Swift.max(k, 1))
    }

    /// Unfolds `images` images starting at `b0` of group `g` into `cols` (row stride `images·plane`).
    private func unfold(_ x: Tensor, b0: Int, images: Int, group g: Int, into cols: UnsafeMutableRawPointer) {
        im2col(type: type, channels: cinG, window, inputPointer(x, image: b0, group: g), cols,
               ld: images * outPlane, images: images, imageStride: cin * inPlane)
    }

    /// The columns of image `b`, group `g`: the input itself when pointwise, else unfolded into `scratch`.
    private func columns(_ x: Tensor, image b: Int, group g: Int, scratch: UnsafeMutableRawPointer?) -> UnsafeRawPointer {
        guard let scratch else { return UnsafeRawPointer(inputPointer(x, image: b, group: g)) }
        im2col(type: type, channels: cinG, window, inputPointer(x, image: b, group: g), scratch, ld: outPlane)
        return UnsafeRawPointer(scratch)
    }

    private var ldPlane: Int { Swift.max(outPlane, 1) }

    /// `y = conv(x, w)`, without bias.
    func forward(_ x: Tensor, _ w: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: outputShape, dtype: type)
        if isDepthwise {
            depthwiseConv2d(type: type, n: n, c: cin, window, x.rawPointer, w.rawPointer, y.rawPointer)
            return y
        }
        if usesShiftedRows {
            shiftedForward(x, w, into: y)
            return y
        }
        let split = imageSplit()
        split.run { images, space in
            if isPerImage {
                for b in images {
                    for g in 0..<groups {
                        if packsColumns(images: 1, threaded: split.threadedParts) {
                            packedForward(x, w, image: b, images: 1, group: g, into: outputPointer(y, image: b, group: g),
                                          threaded: split.threadedParts)
                            continue
                        }
                        let cols = MatrixOperand(pointer: columns(x, image: b, group: g, scratch: space.columns),
                                                 transposed: false, ld: ldPlane)
                        gemm(type: type, m: coutG, n: outPlane, k: k, weightOperand(w, group: g, transposed: false), cols,
                             outputPointer(y, image: b, group: g), ldc: ldPlane, threaded: split.threadedParts)
                    }
                }
                return
            }
            for b0 in Swift.stride(from: images.lowerBound, to: images.upperBound, by: split.chunk) {
                let count = Swift.min(split.chunk, images.upperBound - b0), ld = Swift.max(count * outPlane, 1)
                for g in 0..<groups {
                    if packsColumns(images: count, threaded: split.threadedParts) {
                        packedForward(x, w, image: b0, images: count, group: g, into: space.rows!,
                                      threaded: split.threadedParts)
                    } else {
                        unfold(x, b0: b0, images: count, group: g, into: space.columns!)
                        gemm(type: type, m: coutG, n: count * outPlane, k: k, weightOperand(w, group: g, transposed: false),
                             MatrixOperand(pointer: space.columns!, transposed: false, ld: ld), space.rows!, ldc: ld,
                             threaded: split.threadedParts)
                    }
                    exchange(space.rows!, y, b0: b0, images: count, group: g, toImages: true)
                }
            }
        }
        return y
    }

    /// `dx` for output gradient `gy`: `wᵀ · gy` folded back onto the input planes.
    func inputGradient(_ gy: Tensor, _ w: Tensor) -> Tensor {
        if isDepthwise {
            let dx = Tensor(uninitializedShape: inputShape, dtype: type)
            depthwiseConv2dInputGradient(type: type, n: n, c: cin, window, gy.rawPointer, w.rawPointer, dx.rawPointer)
            return dx
        }
        if let transposed = transposedShiftedPlan {
            let dx = Tensor(uninitializedShape: inputShape, dtype: type)
            transposed.shiftedForward(gy, transposedWeight(w), into: dx)
            return dx
        }
        // Pointwise: the column gradient is the input gradient itself; otherwise col2im adds into zeros.
        let dx = isPointwise ? Tensor(uninitializedShape: inputShape, dtype: type) : Tensor.zeros(inputShape, dtype: type)
        let split = imageSplit()
        split.run { images, space in
            if isPerImage {
                for b in images {
                    for g in 0..<groups {
                        let go = MatrixOperand(pointer: outputPointer(gy, image: b, group: g), transposed: false, ld: ldPlane)
                        let target = space.columns ?? inputPointer(dx, image: b, group: g)
                        gemm(type: type, m: k, n: outPlane, k: coutG, weightOperand(w, group: g, transposed: true), go,
                             target, ldc: ldPlane, threaded: split.threadedParts)
                        if let scratch = space.columns {
                            col2im(type: type, channels: cinG, window, scratch, inputPointer(dx, image: b, group: g), ld: outPlane)
                        }
                    }
                }
                return
            }
            for b0 in Swift.stride(from: images.lowerBound, to: images.upperBound, by: split.chunk) {
                let count = Swift.min(split.chunk, images.upperBound - b0), ld = Swift.max(count * outPlane, 1)
                for g in 0..<groups {
                    exchange(space.rows!, gy, b0: b0, images: count, group: g, toImages: false)
                    gemm(type: type, m: k, n: count * outPlane, k: coutG, weightOperand(w, group: g, transposed: true),
                         MatrixOperand(pointer: space.rows!, transposed: false, ld: ld), space.columns!, ldc: ld,
                         threaded: split.threadedParts)
                    col2im(type: type, channels: cinG, window, space.columns!, inputPointer(dx, image: b0, group: g), ld: ld,
                           images: count, imageStride: cin * inPlane)
                }
            }
        }
        return dx
    }

    /// `dw` for input `x` and output gradient `gy`: `gy · colsᵀ`, summed over images.
    func weightGradient(_ x: Tensor, _ gy: Tensor) -> Tensor {
        if isDepthwise {
            let dw = Tensor(uninitializedShape: weightShape, dtype: type)
            depthwiseConv2dWeightGradient(type: type, n: n, c: cin, window, x.rawPointer, gy.rawPointer, dw.rawPointer)
            return dw
        }
        if usesShiftedRows { return shiftedWeightGradient(x, gy) }
        let split = imageSplit()
        // Computed transposed, dwᵀ = cols · gyᵀ ([k, coutG] per group): the large
        // column matrix is then the GEMM's A, packed from contiguous rows, and
        // the small gy the B operand (one 32-wide panel for DenseNet's 3×3
        // convs), where dw = gy · colsᵀ would gather every column row across
        // the whole matrix to pack B. Each part sums its own images into its
        // own slice; the slices are added at the end.
        let partials = Tensor.zeros([split.parts, groups, k, coutG], dtype: type)
        let partSize = cout * k * item
        split.run { images, space in
            let dwT = partials.rawPointer + space.part * partSize
            if isPerImage {
                for b in images {
                    for g in 0..<groups {
                        let go = MatrixOperand(pointer: outputPointer(gy, image: b, group: g), transposed: true, ld: ldPlane)
                        let cols = MatrixOperand(pointer: columns(x, image: b, group: g, scratch: space.columns),
                                                 transposed: false, ld: ldPlane)
                        gemm(type: type, m: k, n: coutG, k: outPlane, cols, go, beta: 1,
                             dwT + g * coutG * k * item, ldc: Swift.max(coutG, 1), threaded: split.threadedParts)
                    }
                }
                return
            }
            for b0 in Swift.stride(from: images.lowerBound, to: images.upperBound, by: split.chunk) {
                let count = Swift.min(split.chunk, images.upperBound - b0), ld = Swift.max(count * outPlane, 1)
                for g in 0..<groups {
                    exchange(space.rows!, gy, b0: b0, images: count, group: g, toImages: false)
                    unfold(x, b0: b0, images: count, group: g, into: space.columns!)
                    gemm(type: type, m: k, n: coutG, k: count * outPlane,
                         MatrixOperand(pointer: space.columns!, transposed: false, ld: ld),
                         MatrixOperand(pointer: space.rows!, transposed: true, ld: ld), beta: 1,
                         dwT + g * coutG * k * item, ldc: Swift.max(coutG, 1), threaded: split.threadedParts)
                }
            }
        }
        return GradMode.noGrad {
            let dwT = split.parts == 1 ? partials.squeeze(dim: 0) : partials.sum(dims: [0])
            return dwT.transpose(1, 2).contiguous().reshape(weightShape)
        }
    }
}
