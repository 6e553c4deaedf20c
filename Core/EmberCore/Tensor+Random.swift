// Random tensors: rand, randn, randint, randperm, normal, uniform, bernoulli,
// and the in-place fills that initializers use.

import RealModule

extension Tensor {
    private static func fromDoubles(_ values: [Double], _ shape: [Int], _ dtype: DType) -> Tensor {
        Tensor(values, shape: shape).to(dtype)
    }

    /// Uniform samples in [0, 1).
    ///
    /// ```swift
    /// let x = Tensor.rand([2, 3])
    /// ```
    public static func rand(_ shape: [Int], dtype: DType = .float32, generator: Generator = .default) -> Tensor {
        uniform(shape, low: 0, high: 1, dtype: dtype, generator: generator)
    }

    /// Uniform samples in [low, high).
    public static func uniform(_ shape: [Int], low: Double, high: Double, dtype: DType = .float32,
                               generator: Generator = .default) -> Tensor {
        precondition(dtype.isFloatingPoint, "uniform: expected a floating-point dtype, got \(dtype)")
        let n = shape.reduce(1, *)
        let u = generator.uniformDoubles(n).map { low + (high - low) * $0 }
        let t = fromDoubles(u, shape, dtype)
        // Rounding to float32 can land on `high`; keep the interval half-open.
        if high > low { return t.where(t.lt(high), Tensor(scalar: low, dtype: dtype)) }
        return t
    }

    /// Standard normal samples (Box–Muller).
    public static func randn(_ shape: [Int], dtype: DType = .float32, generator: Generator = .default) -> Tensor {
        normal(shape, mean: 0, std: 1, dtype: dtype, generator: generator)
    }

    /// Normal samples with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32,
                              generator: Generator = .default) -> Tensor {
        precondition(dtype.isFloatingPoint, "normal: expected a floating-point dtype, got \(dtype)")
        precondition(std >= 0, "normal: expects std >= 0.0, got \(std)")
        let n = shape.reduce(1, *)
        let u = generator.uniformDoubles(n + (n & 1))
        var out = [Double](repeating: 0, count: n)
        var i = 0
        while i < n {
            let r = Double.sqrt(-2 * Double.log(1 - u[i]))
            let theta = 2 * Double.pi * u[i + 1]
            out[i] = mean + std * r * Double.cos(theta)
            if i + 1 < n { out[i + 1] = mean + std * r * Double.sin(theta) }
            i += 2
        }
        return fromDoubles(out, shape, dtype)
    }

    /// Uniform integers in [low, high).
    public static func randint(low: Int = 0, high: Int, _ shape: [Int], dtype: DType = .int64,
                               generator: Generator = .default) -> Tensor {
        precondition(high > low, "randint: expected low < high, got low \(low) and high \(high)")
        let range = UInt64(high - low)
        let n = shape.reduce(1, *)
        var values = [Int64](repeating: 0, count: n)
        // Multiply-shift maps 64 random bits into the range with negligible bias.
        generator.withWords(n) { w in
            for i in 0..<n {
                values[i] = Int64(low) + Int64(w[i].multipliedFullWidth(by: range).high)
            }
        }
        return Tensor(values, shape: shape).to(dtype)
    }

    /// A random permutation of `0..<n`.
    public static func randperm(_ n: Int, dtype: DType = .int64, generator: Generator = .default) -> Tensor {
        precondition(n >= 0, "randperm: n must be non-negative, got \(n)")
        var values = (0..<n).map { Int64($0) }
        generator.withWords(n) { w in
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = Int(w[i].multipliedFullWidth(by: UInt64(i + 1)).high)
                values.swapAt(i, j)
            }
        }
        return Tensor(values, shape: [n]).to(dtype)
    }

    /// Ones with probability `p` (elementwise), zeros otherwise, in `p`'s dtype.
    public static func bernoulli(_ p: Tensor, generator: Generator = .default) -> Tensor {
        let u = rand(p.shape, dtype: .float64, generator: generator)
        return u.lt(p.to(.float64)).to(p.dtype.isFloatingPoint ? p.dtype : .float32)
    }

    /// Ones with probability `p`, zeros otherwise.
    public static func bernoulli(_ shape: [Int], p: Double, dtype: DType = .float32, generator: Generator = .default) -> Tensor {
        // Dropout draws a mask per call; writing it straight from the random
        // words skips three full-size temporaries. Same draws as rand(...).lt(p).
        func fill<T: TensorElement & BinaryFloatingPoint>(_ type: T.Type) -> Tensor {
            let out = Tensor.empty(shape, dtype: dtype)
            let n = out.count
            generator.withWords(n) { words in
                out.withUnsafeMutableBufferPointer(as: T.self) { b in
                    for i in 0..<n { b[i] = Double(words[i] >> 11) * 0x1p-53 < p ? 1 : 0 }
                }
            }
            return out
        }
        switch dtype {
        case .float32: return fill(Float.self)
        case .float64: return fill(Double.self)
        default: return rand(shape, dtype: .float64, generator: generator).lt(p).to(dtype)
        }
    }

    /// Refills with uniform samples in [low, high), through views.
    @discardableResult
    public func uniform_(low: Double = 0, high: Double = 1, generator: Generator = .default) -> Tensor {
        copy_(Tensor.uniform(shape, low: low, high: high, dtype: dtype.isFloatingPoint ? dtype : .float64,
                             generator: generator))
    }

    /// Refills with normal samples, through views.
    @discardableResult
    public func normal_(mean: Double = 0, std: Double = 1, generator: Generator = .default) -> Tensor {
        copy_(Tensor.normal(shape, mean: mean, std: std, dtype: dtype.isFloatingPoint ? dtype : .float64,
                            generator: generator))
    }
}
