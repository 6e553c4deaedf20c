// Stride-1 convolutions on zero-padded planes (EmberKernels' ShiftedRows):
// the forward pass; the weight gradient one tap at a time; and the input
// gradient as the forward pass of the transposed convolution (gy padded by
// k − 1 − p, correlated with the rotated weights, input and output channels
// swapped), which replaces a GEMM into a 9x-sized column matrix and the
// col2im that folded it back.

import EmberKernels

extension ConvolutionPlan {
    /// Whether the forward pass reads its columns from zero-padded planes
    /// instead of packing them (stride-1 kernels larger than 1×1; see ShiftedRowsLayout).
    var usesShiftedRows: Bool {
        !isDepthwise && ShiftedRowsLayout.applies(type: type, window: window, filters: coutG, k: k)
    }

    /// The forward pass on padded planes: per image and group, pad the
    /// input channels, multiply, and copy the valid columns into `y`.
    func shiftedForward(_ x: Tensor, _ w: Tensor, into y: Tensor) {
        let layout = ShiftedRowsLayout(window: window)
        let offsets = layout.offsets(channels: cinG)
        let split = imageSplit(shifted: layout)
        offsets.withUnsafeBufferPointer { offsets in
            split.run { images, space in
                let padded = space.columns!.assumingMemoryBound(to: Float.self)
                let rows = space.rows!.assumingMemoryBound(to: Float.self)
                for b in images {
                    for g in 0..<groups {
                        let source = (x.rawPointer + ((b * cin + g * cinG) * inPlane) * item).assumingMemoryBound(to: Float.self)
                        layout.pad(source, channels: cinG, into: padded, threaded: split.threadedParts)
                        let weights = (w.rawPointer + g * coutG * k * item).assumingMemoryBound(to: Float.self)
                        shiftedRowsGEMM(m: coutG, k: k, weights, lda: k, layout: layout, padded: padded,
                                        offsets: offsets.baseAddress!, rows, ldc: layout.columns,
                                        threaded: split.threadedParts)
                        let target = y.rawPointer + ((b * cout + g * coutG) * outPlane) * item
                        layout.compact(rows, rowCount: coutG, into: target.assumingMemoryBound(to: Float.self),
                                       threaded: split.threadedParts)
                    }
                }
            }
        }
    }

    /// `dw` on padded planes: per image and group, the padded input and the
    /// output gradient in the padded column space, then one product per tap
    /// (see shiftedRowsWeightGradient); each part sums its own images.
    func shiftedWeightGradient(_ x: Tensor, _ gy: Tensor) -> Tensor {
        let layout = ShiftedRowsLayout(window: window)
        let taps = window.kh * window.kw
        let split = imageSplit(shifted: layout)
        let partials = Tensor.zeros([split.parts, groups, taps, cinG, coutG], dtype: type)
        let partSize = groups * taps * cinG * coutG
        split.run { images, space in
            let padded = space.columns!.assumingMemoryBound(to: Float.self)
            let gyT = space.rows!.assumingMemoryBound(to: Float.self)
            let dwT = partials.rawPointer.assumingMemoryBound(to: Float.self) + space.part * partSize
            for b in images {
                for g in 0..<groups {
                    let source = (x.rawPointer + ((b * cin + g * cinG) * inPlane) * item).assumingMemoryBound(to: Float.self)
                    layout.pad(source, channels: cinG, into: padded, threaded: split.threadedParts)
                    let gradient = (gy.rawPointer + ((b * cout + g * coutG) * outPlane) * item).assumingMemoryBound(to: Float.self)
                    layout.transposeGradient(gradient, channels: coutG, into: gyT)
                    shiftedRowsWeightGradient(layout: layout, channels: cinG, filters: coutG, padded: padded,
                                              gradient: gyT, into: dwT + g * taps * cinG * coutG,
                                              threaded: split.threadedParts)
                }
            }
        }
        return GradMode.noGrad {
            let dwT = split.parts == 1 ? partials.squeeze(dim: 0) : partials.sum(dims: [0])
            return dwT.permute([0, 3, 2, 1]).contiguous().reshape(weightShape)
        }
    }

    /// The stride-1 convolution whose forward pass is this one's input
    /// gradient, when there is one that runs on padded planes.
    var transposedShiftedPlan: ConvolutionPlan? {
        let w = window
        guard !isDepthwise, w.sh == 1, w.sw == 1, w.dh == 1, w.dw == 1, w.ph < w.kh, w.pw < w.kw else { return nil }
        let plan = ConvolutionPlan(n: n, cin: cout, cout: cin, groups: groups,
                                   window: Window2D(kernel: (w.kh, w.kw), stride: (1, 1),
                                                    padding: (w.kh - 1 - w.ph, w.kw - 1 - w.pw), dilation: (1, 1),
                                                    input: (w.outH, w.outW), output: (w.inH, w.inW)),
                                   type: type)
        return plan.usesShiftedRows ? plan : nil
    }

    /// `w` ([cout, cinG, kh, kw]) as the transposed plan's weight
    /// ([cin, coutG, kh, kw], each kernel rotated by 180°).
    func transposedWeight(_ w: Tensor) -> Tensor {
        GradMode.noGrad {
            w.reshape([groups, coutG, cinG, window.kh, window.kw]).flip([3, 4]).transpose(1, 2).contiguous()
                .reshape([cin, coutG, window.kh, window.kw])
        }
    }
}
