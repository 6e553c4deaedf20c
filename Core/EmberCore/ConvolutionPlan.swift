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
    private func unfold(_ x: Tensor, b0: Int, images: Int, group g: Int, into cols: Tensor) {
        im2col(type: type, channels: cinG, window, inputPointer(x, image: b0, group: g), cols.rawPointer,
               ld: images * outPlane, images: images, imageStride: cin * inPlane)
    }

    /// Moves between `[coutG, images, plane]` rows and the images' output planes of group `g`.
    private func exchange(_ matrix: Tensor, _ y: Tensor, b0: Int, images: Int, group g: Int, toImages: Bool) {
        GradMode.noGrad {
            let rows: Tensor = matrix.view(shape: [coutG, images, outPlane], strides: [images * outPlane, outPlane, 1], offset: 0)
            let planes = y.narrow(dim: 0, start: b0, length: images).narrow(dim: 1, start: g * coutG, length: coutG)
                .reshape([images, coutG, outPlane]).permute(1, 0, 2)
            if toImages { planes.copy_(rows) } else { rows.copy_(planes) }
        }
    }

    /// The columns of image `b`, group `g`: the input itself when pointwise, else unfolded into `scratch`.
    private func columns(_ x: Tensor, image b: Int, group g: Int, scratch: Tensor?) -> UnsafeRawPointer {
        guard let scratch else { return UnsafeRawPointer(inputPointer(x, image: b, group: g)) }
        im2col(type: type, channels: cinG, window, inputPointer(x, image: b, group: g), scratch.rawPointer, ld: outPlane)
        return UnsafeRawPointer(scratch.rawPointer)
    }

    private var ldPlane: Int { Swift.max(outPlane, 1) }

    /// `y = conv(x, w)`, without bias.
    func forward(_ x: Tensor, _ w: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: outputShape, dtype: type)
        if isDepthwise {
            depthwiseConv2d(type: type, n: n, c: cin, window, x.rawPointer, w.rawPointer, y.rawPointer)
            return y
        }
        if isPerImage {
            let scratch = isPointwise ? nil : Tensor(uninitializedShape: [k, outPlane], dtype: type)
            for b in 0..<n {
                for g in 0..<groups {
                    let cols = MatrixOperand(pointer: columns(x, image: b, group: g, scratch: scratch), transposed: false, ld: ldPlane)
                    gemm(type: type, m: coutG, n: outPlane, k: k, weightOperand(w, group: g, transposed: false), cols,
                         outputPointer(y, image: b, group: g), ldc: ldPlane)
                }
            }
            return y
        }
        let cols = Tensor(uninitializedShape: [k, chunk * outPlane], dtype: type)
        let product = Tensor(uninitializedShape: [coutG, chunk * outPlane], dtype: type)
        for b0 in Swift.stride(from: 0, to: n, by: chunk) {
            let images = Swift.min(chunk, n - b0), ld = Swift.max(images * outPlane, 1)
            for g in 0..<groups {
                unfold(x, b0: b0, images: images, group: g, into: cols)
                gemm(type: type, m: coutG, n: images * outPlane, k: k, weightOperand(w, group: g, transposed: false),
                     MatrixOperand(pointer: cols.rawPointer, transposed: false, ld: ld), product.rawPointer, ldc: ld)
                exchange(product, y, b0: b0, images: images, group: g, toImages: true)
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
        if isPerImage {
            // Pointwise: the column gradient is the input gradient itself.
            let dx = Tensor(uninitializedShape: inputShape, dtype: type)
            let scratch = isPointwise ? nil : Tensor(uninitializedShape: [k, outPlane], dtype: type)
            if !isPointwise { GradMode.noGrad { _ = dx.zero_() } }
            for b in 0..<n {
                for g in 0..<groups {
                    let go = MatrixOperand(pointer: outputPointer(gy, image: b, group: g), transposed: false, ld: ldPlane)
                    let target = scratch?.rawPointer ?? inputPointer(dx, image: b, group: g)
                    gemm(type: type, m: k, n: outPlane, k: coutG, weightOperand(w, group: g, transposed: true), go,
                         target, ldc: ldPlane)
                    if let scratch {
                        col2im(type: type, channels: cinG, window, scratch.rawPointer, inputPointer(dx, image: b, group: g), ld: outPlane)
                    }
                }
            }
            return dx
        }
        let dx = Tensor.zeros(inputShape, dtype: type)
        let cols = Tensor(uninitializedShape: [k, chunk * outPlane], dtype: type)
        let rows = Tensor(uninitializedShape: [coutG, chunk * outPlane], dtype: type)
        for b0 in Swift.stride(from: 0, to: n, by: chunk) {
            let images = Swift.min(chunk, n - b0), ld = Swift.max(images * outPlane, 1)
            for g in 0..<groups {
                exchange(rows, gy, b0: b0, images: images, group: g, toImages: false)
                gemm(type: type, m: k, n: images * outPlane, k: coutG, weightOperand(w, group: g, transposed: true),
                     MatrixOperand(pointer: rows.rawPointer, transposed: false, ld: ld), cols.rawPointer, ldc: ld)
                col2im(type: type, channels: cinG, window, cols.rawPointer, inputPointer(dx, image: b0, group: g), ld: ld,
                       images: images, imageStride: cin * inPlane)
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
        let dw = Tensor.zeros(weightShape, dtype: type)
        if isPerImage {
            let scratch = isPointwise ? nil : Tensor(uninitializedShape: [k, outPlane], dtype: type)
            for b in 0..<n {
                for g in 0..<groups {
                    let go = MatrixOperand(pointer: outputPointer(gy, image: b, group: g), transposed: false, ld: ldPlane)
                    let cols = MatrixOperand(pointer: columns(x, image: b, group: g, scratch: scratch), transposed: true, ld: ldPlane)
                    gemm(type: type, m: coutG, n: k, k: outPlane, go, cols, beta: 1,
                         dw.rawPointer + g * coutG * k * item, ldc: Swift.max(k, 1))
                }
            }
            return dw
        }
        let cols = Tensor(uninitializedShape: [k, chunk * outPlane], dtype: type)
        let rows = Tensor(uninitializedShape: [coutG, chunk * outPlane], dtype: type)
        for b0 in Swift.stride(from: 0, to: n, by: chunk) {
            let images = Swift.min(chunk, n - b0), ld = Swift.max(images * outPlane, 1)
            for g in 0..<groups {
                exchange(rows, gy, b0: b0, images: images, group: g, toImages: false)
                unfold(x, b0: b0, images: images, group: g, into: cols)
                gemm(type: type, m: coutG, n: k, k: images * outPlane,
                     MatrixOperand(pointer: rows.rawPointer, transposed: false, ld: ld),
                     MatrixOperand(pointer: cols.rawPointer, transposed: true, ld: ld), beta: 1,
                     dw.rawPointer + g * coutG * k * item, ldc: Swift.max(k, 1))
            }
        }
        return dw
    }
}
