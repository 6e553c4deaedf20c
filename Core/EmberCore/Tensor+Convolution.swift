// Convolutions (1-D, 2-D and transposed 2-D) with their derivatives. Inputs
// are N·C·spatial; the GEMM work is in ConvolutionPlan.

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
        precondition(stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0 && padding.0 >= 0 && padding.1 >= 0,
                     "conv2d: stride \(stride) and dilation \(dilation) must be positive and padding \(padding) non-negative")
        let oh = windowOutput(h, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0, ceilMode: false)
        let ow = windowOutput(w, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1, ceilMode: false)
        precondition(oh > 0 && ow > 0, "conv2d: input of shape \(shape) is smaller than the kernel \(weight.shape)")
        let type = DType.promote(dtype, weight.dtype).computeType
        precondition(type == .float32 || type == .float64, "conv2d: expected floating-point tensors, got \(dtype)")
        if let bias {
            precondition(bias.shape == [cout], "conv2d: bias of shape \(bias.shape) does not match \(cout) output channels")
        }
        let plan = ConvolutionPlan(n: n, cin: cin, cout: cout, groups: groups,
                                   window: Window2D(kernel: (kh, kw), stride: stride, padding: padding, dilation: dilation,
                                                    input: (h, w), output: (oh, ow)),
                                   type: type)
        let x = GradMode.noGrad { to(type).contiguous() }
        let wt = GradMode.noGrad { weight.to(type).contiguous() }
        var result = plan.forward(x, wt)
        if let bias { result = GradMode.noGrad { result.add(bias.to(type).reshape([1, cout, 1, 1])) } }
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        let (needInput, needWeight) = (requiresGrad, weight.requiresGrad)
        return result.recorded("conv2d", inputs, saving: [self, weight]) { grad in
            let gy = grad.to(type).contiguous()
            var grads: [Tensor?] = [needInput ? plan.inputGradient(gy, wt).to(grad.dtype) : nil,
                                    needWeight ? plan.weightGradient(x, gy).to(grad.dtype) : nil]
            if bias != nil { grads.append(gy.sum(dims: [0, 2, 3]).to(grad.dtype)) }
            return grads
        }
    }

    /// 1-D convolution (`torch.nn.functional.conv1d`) of NCL `self`, weight `[Cout, Cin/groups, k]`.
    ///
    /// ```swift
    /// let y = x.conv1d(weight, bias: b, padding: 1)   // [N, Cout, L]
    /// ```
    public func conv1d(_ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                       dilation: Int = 1, groups: Int = 1) -> Tensor {
        precondition(rank == 3 && weight.rank == 3,
                     "conv1d: expected a 3-D input and weight, got \(shape) and \(weight.shape)")
        return unsqueeze(2).conv2d(weight.unsqueeze(2), bias: bias, stride: (1, stride), padding: (0, padding),
                                   dilation: (1, dilation), groups: groups).squeeze(dim: 2)
    }

    /// Transposed 2-D convolution (`torch.nn.functional.conv_transpose2d`), the
    /// gradient of conv2d with respect to its input. Weight is `[Cin, Cout/groups, kh, kw]`.
    ///
    /// ```swift
    /// let up = x.convTranspose2d(weight, stride: (2, 2), padding: (1, 1), outputPadding: (1, 1))   // 2× larger
    /// ```
    public func convTranspose2d(_ weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0),
                                groups: Int = 1, dilation: (Int, Int) = (1, 1)) -> Tensor {
        precondition(rank == 4 && weight.rank == 4,
                     "conv_transpose2d: expected a 4-D input and weight, got \(shape) and \(weight.shape)")
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (wIn, coutG, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        precondition(groups > 0 && wIn == cin && cin % groups == 0,
                     "conv_transpose2d: weight of shape \(weight.shape) with groups \(groups) expects \(wIn) input channels, got input of shape \(shape)")
        precondition(stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0 && padding.0 >= 0 && padding.1 >= 0,
                     "conv_transpose2d: stride \(stride) and dilation \(dilation) must be positive and padding \(padding) non-negative")
        precondition(outputPadding.0 >= 0 && outputPadding.1 >= 0
                        && (outputPadding.0 < stride.0 || outputPadding.0 < dilation.0)
                        && (outputPadding.1 < stride.1 || outputPadding.1 < dilation.1),
                     "conv_transpose2d: output padding \(outputPadding) must be smaller than either stride \(stride) or dilation \(dilation)")
        let cout = coutG * groups
        let oh = (h - 1) * stride.0 - 2 * padding.0 + dilation.0 * (kh - 1) + outputPadding.0 + 1
        let ow = (w - 1) * stride.1 - 2 * padding.1 + dilation.1 * (kw - 1) + outputPadding.1 + 1
        precondition(oh > 0 && ow > 0, "conv_transpose2d: input of shape \(shape) and weight \(weight.shape) give an empty output [\(oh), \(ow)]")
        let type = DType.promote(dtype, weight.dtype).computeType
        precondition(type == .float32 || type == .float64, "conv_transpose2d: expected floating-point tensors, got \(dtype)")
        if let bias {
            precondition(bias.shape == [cout], "conv_transpose2d: bias of shape \(bias.shape) does not match \(cout) output channels")
        }
        // The convolution this one transposes: from the [cout, oh, ow] output back to the [cin, h, w] input.
        let plan = ConvolutionPlan(n: n, cin: cout, cout: cin, groups: groups,
                                   window: Window2D(kernel: (kh, kw), stride: stride, padding: padding, dilation: dilation,
                                                    input: (oh, ow), output: (h, w)),
                                   type: type)
        let x = GradMode.noGrad { to(type).contiguous() }
        let wt = GradMode.noGrad { weight.to(type).contiguous() }
        var result = plan.inputGradient(x, wt)
        if let bias { result = GradMode.noGrad { result.add(bias.to(type).reshape([1, cout, 1, 1])) } }
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        let (needInput, needWeight) = (requiresGrad, weight.requiresGrad)
        return result.recorded("conv_transpose2d", inputs, saving: [self, weight]) { grad in
            let gy = grad.to(type).contiguous()
            var grads: [Tensor?] = [needInput ? plan.forward(gy, wt).to(grad.dtype) : nil,
                                    needWeight ? plan.weightGradient(gy, x).to(grad.dtype) : nil]
            if bias != nil { grads.append(gy.sum(dims: [0, 2, 3]).to(grad.dtype)) }
            return grads
        }
    }
}
