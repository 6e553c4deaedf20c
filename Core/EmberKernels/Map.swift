// Generic elementwise loops over a StridedLoop whose operand 0 is the output.
// The element function is a functor type, not a closure: after
// specialization the call is direct and inlined even inside the per-thread
// closures, so the unit-stride loops vectorize. (A closure captured by the
// per-thread work would be called indirectly for every element.)

/// A function of one element.
package protocol ElementFunction {
    associatedtype A
    associatedtype R
    func callAsFunction(_ a: A) -> R
}

/// A function of two elements.
package protocol ElementFunction2 {
    associatedtype A
    associatedtype B
    associatedtype R
    func callAsFunction(_ a: A, _ b: B) -> R
}

/// A function of three elements.
package protocol ElementFunction3 {
    associatedtype A
    associatedtype B
    associatedtype C
    associatedtype R
    func callAsFunction(_ a: A, _ b: B, _ c: C) -> R
}

package func mapRows<F: ElementFunction>(
    _ loop: StridedLoop, _ a: UnsafeRawPointer, _ r: UnsafeMutableRawPointer, _ f: F
) {
    let pa = a.assumingMemoryBound(to: F.A.self)
    let pr = r.assumingMemoryBound(to: F.R.self)
    let sr = loop.innerStride(0), sa = loop.innerStride(1)
    loop.forEachRow { off, n in
        let x = pa + off[1], y = pr + off[0]
        if sr == 1 && sa == 1 {
            for i in 0..<n { y[i] = f(x[i]) }
        } else if sr == 1 && sa == 0 {
            let v = f(x[0])
            for i in 0..<n { y[i] = v }
        } else {
            for i in 0..<n { y[i * sr] = f(x[i * sa]) }
        }
    }
}

package func map2<F: ElementFunction2>(
    _ loop: StridedLoop, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer, _ f: F
) {
    let pa = a.assumingMemoryBound(to: F.A.self)
    let pb = b.assumingMemoryBound(to: F.B.self)
    let pr = r.assumingMemoryBound(to: F.R.self)
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

package func map3<F: ElementFunction3>(
    _ loop: StridedLoop, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ c: UnsafeRawPointer,
    _ r: UnsafeMutableRawPointer, _ f: F
) {
    let pa = a.assumingMemoryBound(to: F.A.self)
    let pb = b.assumingMemoryBound(to: F.B.self)
    let pc = c.assumingMemoryBound(to: F.C.self)
    let pr = r.assumingMemoryBound(to: F.R.self)
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
