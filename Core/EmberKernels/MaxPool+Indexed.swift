// Training max pooling (values and argmax indices) for float32, sixteen
// outputs of a row at a time: each tap is one vector load (stride 1) or two
// loads split into their even elements (stride 2), compared and selected in
// all lanes at once. The scalar scan with a branch per tap mispredicted on
// the ties a ReLU's zeros make; it was 2/3 of a 3×3/2 pooling step.

/// Outputs `ow0 ..< ow0 + 16` of output row `oh` of one plane, all of whose
/// column taps lie inside the input; rows `kiLo..<kiHi` are the valid ones.
/// The first maximum in scan order wins, and any NaN replaces it, as in
/// PyTorch's kernel (`val > maxval || isnan(val)`).
@inline(__always)
func maxPoolSixteen(_ plane: UnsafePointer<Float>, _ w: Window2D, oh: Int, ow0: Int, kiLo: Int, kiHi: Int,
                    _ out: UnsafeMutablePointer<Float>, _ indices: UnsafeMutablePointer<Int64>) {
    let h0 = oh * w.sh - w.ph, w0 = ow0 * w.sw - w.pw
    let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) &* Int32(w.sw)
    var best = SIMD16<Float>(repeating: -.infinity), bestIndex = SIMD16<Int32>(repeating: -1)
    var first = true
    for ki in kiLo..<kiHi {
        let row = (h0 + ki * w.dh) * w.inW
        for kj in 0..<w.kw {
            let start = row + w0 + kj * w.dw
            let p = UnsafeRawPointer(plane + start)
            let v: SIMD16<Float>
            if w.sw == 1 {
                v = p.loadUnaligned(as: SIMD16<Float>.self)
            } else {
                // Elements 0, 2, …, 30: the even half of the first sixteen and
                // the odd half of the sixteen from 15 (no read past element 30).
                let a = p.loadUnaligned(as: SIMD16<Float>.self)
                let b = p.loadUnaligned(fromByteOffset: 15 * 4, as: SIMD16<Float>.self)
                v = SIMD16(lowHalf: a.evenHalf, highHalf: b.oddHalf)
            }
            let index = lanes &+ Int32(start)
            if first {
                (best, bestIndex, first) = (v, index, false)
                continue
            }
            let take = (v .> best) .| (v .!= v)
            best.replace(with: v, where: take)
            bestIndex.replace(with: index, where: take)
        }
    }
    UnsafeMutableRawPointer(out).storeBytes(of: best, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(indices).storeBytes(of: SIMD16<Int64>(truncatingIfNeeded: bestIndex),
                                                as: SIMD16<Int64>.self)
}

/// The outputs of a row whose column taps all lie inside the input, when the
/// vector path applies (float32, stride 1 or 2, planes indexable in Int32).
func maxPoolVectorColumns(_ w: Window2D) -> Range<Int> {
    guard w.sw == 1 || w.sw == 2, w.inH * w.inW < Int(Int32.max) - 64 else { return 0..<0 }
    let lo = (w.pw + w.sw - 1) / w.sw
    let last = w.inW - 1 - (w.kw - 1) * w.dw + w.pw
    let hi = last < 0 ? 0 : Swift.min(w.outW, last / w.sw + 1)
    return lo < hi ? lo..<hi : 0..<0
}
