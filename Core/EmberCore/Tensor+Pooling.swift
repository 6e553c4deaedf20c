// 2-D pooling (max, average, adaptive) of NCHW or CHW tensors, with their
// derivatives.

import EmberKernels

extension Tensor {
    /// 2-D max pooling of NCHW (or CHW) `self`; -inf padding, optional ceil mode.
    public func maxPool2d(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) -> Tensor {
        let (window, planes, outShape) = poolGeometry("max_pool2d", kernelSize, stride ?? kernelSize, padding, dilation, ceilMode)
        let type = dtype.computeType
        let x = GradMode.noGrad { to(type).contiguous() }
        let out = Tensor(uninitializedShape: outShape, dtype: type)
        // Argmax positions are only for backward; inference skips writing them.
        guard GradMode.enabled && requiresGrad else {
            maxPool2dForward(type: type, planes: planes, window, x.rawPointer, out.rawPointer, indices: nil)
            return GradMode.noGrad { out.to(dtype) }
        }
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
