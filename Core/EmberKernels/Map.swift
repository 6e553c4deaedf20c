// Generic elementwise loops over a StridedLoop whose operand 0 is the output.
// Each checks for the unit-stride and broadcast-scalar rows that dominate real
// workloads; those loops are what the compiler vectorizes.

package func map2<A, B, R>(
    _ loop: StridedLoop, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer,
    _ f: (A, B) -> R
) {
    let pa = a.assumingMemoryBound(to: A.self)
    let pb = b.assumingMemoryBound(to: B.self)
    let pr = r.assumingMemoryBound(to: R.self)
    let sr = loop.innerStride(0), sa = loop.innerStride(1), sb = loop.innerStride(2)
    loop.forEachRow { off, n in
        let x = pa + off[1], y = pb + off[2], z = pr + off[0]
        if sr == 1 && sa == 1 && sb == 1 {
            for i in 0..<n { z[i] = f(x[i], y[i]) }
        } else if sr == 1 && sa == 1 && sb == 0 {
            let v = y[0]
            for i in 0..<n { z[i] = f(x[i], v) }
        } else if sr == 1 && sa == 0 && sb == 1 {
            let u = x[0]
            for i in 0..<n { z[i] = f(u, y[i]) }
        } else {
            for i in 0..<n { z[i * sr] = f(x[i * sa], y[i * sb]) }
        }
    }
}

package func map3<A, B, C, R>(
    _ loop: StridedLoop, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ c: UnsafeRawPointer,
    _ r: UnsafeMutableRawPointer, _ f: (A, B, C) -> R
) {
    let pa = a.assumingMemoryBound(to: A.self)
    let pb = b.assumingMemoryBound(to: B.self)
    let pc = c.assumingMemoryBound(to: C.self)
    let pr = r.assumingMemoryBound(to: R.self)
    let sr = loop.innerStride(0), sa = loop.innerStride(1)
    let sb = loop.innerStride(2), sc = loop.innerStride(3)
    loop.forEachRow { off, n in
        let x = pa + off[1], y = pb + off[2], w = pc + off[3], z = pr + off[0]
        if sr == 1 && sa == 1 && sb == 1 && sc == 1 {
            for i in 0..<n { z[i] = f(x[i], y[i], w[i]) }
        } else {
            for i in 0..<n { z[i * sr] = f(x[i * sa], y[i * sb], w[i * sc]) }
        }
    }
}
