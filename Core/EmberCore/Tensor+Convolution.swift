// 2-D convolution (im2col + GEMM per image and group) and pooling, with
// their derivatives. Inputs are NCHW, weights [Cout, Cin/groups, kh, kw].

import EmberKernels

/// Output size of a window sweep, PyTorch's `pooling_output_shape` / conv formula.
func windowOutput(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, ceilMode: Bool) -> Int {
    let span = size + 2 * padding - dilation * (kernel - 1) - 1
    var out = (ceilMode ? span + stride - 1 : span) / stride + 1
    if span + (ceilMode ? stride - 1 : 0) < 0 { out = 0 }
    if ceilMode && (out - 1) * stride >= size + padding { out -= 1 }
    return out
}

extension Tensor {
    /// 2-D convolution (`torch.nn.functional.conv2d`) of NCHW `self`.
    ///
    /// ```swift
    /// let y = x.conv2d(weight, bias: b, stride: (2, 2), padding: (1, 1))   // [N, Cout, H/2, W/2]
    /// ```
    public func conv2d(_ weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                       dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
        precondition(rank == 4 && weight.rank == 4,
                     "conv2d: expected a 4-D input and weight, got \(shape) and \(weight.shape)")
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (cout, cinG, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        precondition(groups > 0 && cin % groups == 0 && cout % groups == 0 && cinG * groups == cin,
                     "conv2d: weight of shape \(weight.shape) with groups \(groups) expects \(cinG * groups) input channels, got input of shape \(shape)")
        let oh = windowOutput(h, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0, ceilMode: false)
        let ow = windowOutput(w, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1, ceilMode: false)
        precondition(oh > 0 && ow > 0, "conv2d: input of shape \(shape) is smaller than the kernel \(weight.shape)")
        let type = DType.promote(dtype, weight.dtype).computeType
        precondition(type == .float32 || type == .float64, "conv2d: expected floating-point tensors, got \(dtype)")
        let window = Window2D(kernel: (kh, kw), stride: stride, padding: padding, dilation: dilation,
                              input: (h, w), output: (oh, ow))
        let x = GradMode.noGrad { to(type).contiguous() }
        let wt = GradMode.noGrad { weight.to(type).contiguous() }
        let coutG = cout / groups, k = cinG * kh * kw, plane = oh * ow
        // Images go through in chunks whose columns share one matrix [k, images·plane],
        // so each group is one large GEMM instead of one small GEMM per image.
        let chunk = Swift.max(1, Swift.min(n, (16 << 20) / Swift.max(k * plane * type.itemSize, 1)))
        let item = type.itemSize
        let out = Tensor(uninitializedShape: [n, cout, oh, ow], dtype: type)
        let cols = Tensor(uninitializedShape: [k, chunk * plane], dtype: type)
        let product = Tensor(uninitializedShape: [coutG, chunk * plane], dtype: type)
        for b0 in Swift.stride(from: 0, to: n, by: chunk) {
            let images = Swift.min(chunk, n - b0), ld = images * plane
            for g in 0..<groups {
                for i in 0..<images {
                    let xin = x.rawPointer + (((b0 + i) * cin + g * cinG) * h * w) * item
                    im2col(type: type, channels: cinG, window, xin, cols.rawPointer + i * plane * item, ld: ld)
                }
                let a = MatrixOperand(pointer: wt.rawPointer + g * coutG * k * item, transposed: false, ld: Swift.max(k, 1))
                let c = MatrixOperand(pointer: cols.rawPointer, transposed: false, ld: Swift.max(ld, 1))
                gemm(type: type, m: coutG, n: ld, k: k, a, c, product.rawPointer, ldc: Swift.max(ld, 1))
                // [coutG, images, plane] → out[b0 + i, g·coutG + co, plane]
                GradMode.noGrad {
                    let src: Tensor = product.view(shape: [coutG, images, plane], strides: [ld, plane, 1], offset: 0)
                    let images4: Tensor = out.narrow(dim: 0, start: b0, length: images)
                    let group: Tensor = images4.narrow(dim: 1, start: g * coutG, length: coutG)
                    let target: Tensor = group.reshape([images, coutG, plane]).permute(1, 0, 2)
                    target.copy_(src)
                }
            }
        }
        var result = out
        if let bias {
            precondition(bias.shape == [cout], "conv2d: bias of shape \(bias.shape) does not match \(cout) output channels")
            result = GradMode.noGrad { out.add(bias.to(type).reshape([1, cout, 1, 1])) }
        }
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        let (inputShape, weightShape) = (shape, weight.shape)
        return result.recorded("conv2d", inputs, saving: [self, weight]) { grad in
            let gOut = grad.to(type).contiguous()
            let dx = Tensor.zeros([n, cin, h, w], dtype: type)
            let dw = Tensor.zeros([cout, cinG, kh, kw], dtype: type)
            let colsB = Tensor(uninitializedShape: [k, chunk * plane], dtype: type)
            let gCols = Tensor(uninitializedShape: [coutG, chunk * plane], dtype: type)
            for b0 in Swift.stride(from: 0, to: n, by: chunk) {
                let images = Swift.min(chunk, n - b0), ld = images * plane
                for g in 0..<groups {
                    // The output gradient of this group as [coutG, images·plane].
                    GradMode.noGrad {
                        let target: Tensor = gCols.view(shape: [coutG, images, plane], strides: [ld, plane, 1], offset: 0)
                        let images4: Tensor = gOut.narrow(dim: 0, start: b0, length: images)
                        let group: Tensor = images4.narrow(dim: 1, start: g * coutG, length: coutG)
                        target.copy_(group.reshape([images, coutG, plane]).permute(1, 0, 2))
                    }
                    for i in 0..<images {
                        let xin = x.rawPointer + (((b0 + i) * cin + g * cinG) * h * w) * item
                        im2col(type: type, channels: cinG, window, xin, colsB.rawPointer + i * plane * item, ld: ld)
                    }
                    let go = MatrixOperand(pointer: gCols.rawPointer, transposed: false, ld: Swift.max(ld, 1))
                    // dW[g] += gOut · colsᵀ
                    let colsT = MatrixOperand(pointer: colsB.rawPointer, transposed: true, ld: Swift.max(ld, 1))
                    gemm(type: type, m: coutG, n: k, k: ld, go, colsT, beta: 1, dw.rawPointer + g * coutG * k * item, ldc: Swift.max(k, 1))
                    // dcols = W[g]ᵀ · gOut, folded back into each image of dx.
                    let wT = MatrixOperand(pointer: wt.rawPointer + g * coutG * k * item, transposed: true, ld: Swift.max(k, 1))
                    gemm(type: type, m: k, n: ld, k: coutG, wT, go, colsB.rawPointer, ldc: Swift.max(ld, 1))
                    for i in 0..<images {
                        col2im(type: type, channels: cinG, window, colsB.rawPointer + i * plane * item,
                               dx.rawPointer + (((b0 + i) * cin + g * cinG) * h * w) * item, ld: ld)
                    }
                }
            }
            var grads: [Tensor?] = [dx.to(grad.dtype).reshape(inputShape), dw.to(grad.dtype).reshape(weightShape)]
            if bias != nil { grads.append(gOut.sum(dims: [0, 2, 3])) }
            return grads
        }
    }

    /// 2-D max pooling of NCHW (or CHW) `self`; -inf padding, optional ceil mode.
    public func maxPool2d(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) -> Tensor {
        let (window, planes, outShape) = poolGeometry("max_pool2d", kernelSize, stride ?? kernelSize, padding, dilation, ceilMode)
        let type = dtype.computeType
        let x = GradMode.noGrad { to(type).contiguous() }
        let out = Tensor(uninitializedShape: outShape, dtype: type)
        let indices = Tensor(uninitializedShape: [planes, window.outH * window.outW], dtype: .int64)
        maxPool2dForward(type: type, planes: planes, window, x.rawPointer, out.rawPointer, indices: indices.pointer(Int64.self))
        let inputShape = shape
        let result = GradMode.noGrad { out.to(dtype) }
        return result.recorded("max_pool2d", [self]) { g in
            let flat = Tensor.zeros([planes, window.inH * window.inW], dtype: g.dtype)
            flat.scatterAdd_(dim: 1, index: indices, src: g.reshape([planes, -1]))
            return [flat.reshape(inputShape)]
        }
    }

    /// 2-D average pooling with PyTorch's `count_include_pad` and ceil-mode rules.
    public func avgPool2d(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          ceilMode: Bool = false, countIncludePad: Bool = true) -> Tensor {
        let (window, planes, outShape) = poolGeometry("avg_pool2d", kernelSize, stride ?? kernelSize, padding, (1, 1), ceilMode)
        let type = dtype.computeType
        let x = GradMode.noGrad { to(type).contiguous() }
        let out = Tensor(uninitializedShape: outShape, dtype: type)
        avgPool2dKernel(type: type, planes: planes, window, countIncludePad: countIncludePad, backward: false, x.rawPointer, out.rawPointer)
        let inputShape = shape
        return GradMode.noGrad { out.to(dtype) }.recorded("avg_pool2d", [self]) { g in
            let gi = Tensor.zeros(inputShape, dtype: type)
            let go = g.to(type).contiguous()
            avgPool2dKernel(type: type, planes: planes, window, countIncludePad: countIncludePad, backward: true, go.rawPointer, gi.rawPointer)
            return [gi.to(g.dtype)]
        }
    }

    private func poolGeometry(_ op: String, _ k: (Int, Int), _ s: (Int, Int), _ p: (Int, Int), _ d: (Int, Int),
                              _ ceilMode: Bool) -> (Window2D, Int, [Int]) {
        precondition(rank == 3 || rank == 4, "\(op): expected a 3-D or 4-D input, got shape \(shape)")
        precondition(p.0 * 2 <= k.0 && p.1 * 2 <= k.1,
                     "\(op): pad should be at most half of effective kernel size, got padding \(p) and kernel \(k)")
        let (h, w) = (shape[rank - 2], shape[rank - 1])
        let oh = windowOutput(h, kernel: k.0, stride: s.0, padding: p.0, dilation: d.0, ceilMode: ceilMode)
        let ow = windowOutput(w, kernel: k.1, stride: s.1, padding: p.1, dilation: d.1, ceilMode: ceilMode)
        precondition(oh > 0 && ow > 0, "\(op): output size is too small for input of shape \(shape) and kernel \(k)")
        let window = Window2D(kernel: k, stride: s, padding: p, dilation: d, input: (h, w), output: (oh, ow))
        return (window, count / Swift.max(h * w, 1), Array(shape.dropLast(2)) + [oh, ow])
    }

    /// Adaptive average pooling to `outputSize`, PyTorch's bins: [⌊i·H/out⌋, ⌈(i+1)·H/out⌉).
    public func adaptiveAvgPool2d(_ outputSize: (Int, Int)) -> Tensor {
        adaptivePool(outputSize, name: "adaptive_avg_pool2d") { $0.mean(dims: [-2, -1]) }
    }

    /// Adaptive max pooling to `outputSize`.
    public func adaptiveMaxPool2d(_ outputSize: (Int, Int)) -> Tensor {
        adaptivePool(outputSize, name: "adaptive_max_pool2d") { $0.amax(dims: [-2, -1]) }
    }

    private func adaptivePool(_ size: (Int, Int), name: String, _ reduce: (Tensor) -> Tensor) -> Tensor {
        precondition(rank == 3 || rank == 4, "\(name): expected a 3-D or 4-D input, got shape \(shape)")
        let (h, w) = (shape[rank - 2], shape[rank - 1])
        if size == (1, 1) { return reduce(self).unsqueeze(-1).unsqueeze(-1) }
        var rows: [Tensor] = []
        for i in 0..<size.0 {
            let h0 = i * h / size.0, h1 = ((i + 1) * h + size.0 - 1) / size.0
            var cols: [Tensor] = []
            for j in 0..<size.1 {
                let w0 = j * w / size.1, w1 = ((j + 1) * w + size.1 - 1) / size.1
                cols.append(reduce(narrow(dim: -2, start: h0, length: h1 - h0).narrow(dim: -1, start: w0, length: w1 - w0)))
            }
            rows.append(Tensor.stack(cols, dim: -1))
        }
        return Tensor.stack(rows, dim: -2)
    }
}
