// Ember's own float32 GEMM kernel (EmberKernels/GEMM+AVX512.swift) against
// single-threaded OpenBLAS on matrix and convolution shapes, interleaved per
// shape so that both see the same machine load. Only run when asked for by
// name (`ember-bench --threads 1 "gemm kernel"`): PyTorch has no counterpart.

import COpenBLAS
import EmberCore
import EmberKernels

func runGEMMKernelCases() {
    guard let filter = options.filter, filter.hasPrefix("gemm kernel") else { return }
    // (m, n, k, transA, transB): squares; convolution forward (weights × im2col
    // columns: m = output channels, n = output pixels, k = input channels × kernel
    // area, e.g. ResNet-50 and DenseNet-121 layers at batch 1); their input
    // gradients (transposed weights) and weight gradients (transposed columns).
    let shapes: [(Int, Int, Int, Bool, Bool)] = [
        (512, 512, 512, false, false), (1024, 1024, 1024, false, false), (2048, 2048, 2048, false, false),
        (64, 12544, 147, false, false), (64, 3136, 64, false, false), (64, 3136, 576, false, false),
        (256, 3136, 64, false, false), (128, 3136, 256, false, false), (32, 3136, 1152, false, false),
        (128, 784, 128, false, false), (128, 784, 512, false, false), (32, 784, 1152, false, false),
        (512, 784, 128, false, false), (128, 196, 1024, false, false), (32, 196, 1152, false, false),
        (256, 196, 2304, false, false), (128, 49, 1024, false, false), (32, 49, 1152, false, false),
        (512, 49, 4608, false, false), (2048, 49, 512, false, false),
        (1152, 784, 32, true, false), (576, 3136, 64, true, false), (1152, 49, 32, true, false),
        (32, 1152, 784, false, true), (64, 576, 3136, false, true), (128, 1024, 196, false, true),
        (128, 512, 64, false, false), (64, 64, 64, false, false), (32, 32, 32, false, false),
    ]
    for (m, n, k, ta, tb) in shapes {
        let name = "gemm kernel \(m)x\(n)x\(k)\(ta ? " tA" : "")\(tb ? " tB" : "")"
        if !name.hasPrefix(filter) { continue }
        let a = Tensor.randn([m * k]), b = Tensor.randn([k * n]), c = Tensor.zeros([m * n])
        let lda = ta ? m : k, ldb = tb ? k : n
        let flops = 2 * Double(m * n * k) / 1e9
        a.withUnsafeBufferPointer(as: Float.self) { pa in
            b.withUnsafeBufferPointer(as: Float.self) { pb in
                c.withUnsafeMutableBufferPointer(as: Float.self) { pc in
                    let (A, B, C) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                    for round in 0..<2 {
                        bench(name + " ember\(round)", rate: (flops, "GFLOP/s")) {
                            sgemmAVX512(m: m, n: n, k: k, alpha: 1, A, transA: ta, lda: lda,
                                        B, transB: tb, ldb: ldb, beta: 0, C, ldc: n)
                        }
                        bench(name + " openblas\(round)", rate: (flops, "GFLOP/s")) {
                            cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                                        Int32(m), Int32(n), Int32(k), 1, A, Int32(lda), B, Int32(ldb), 0, C, Int32(n))
                        }
                    }
                }
            }
        }
    }
}
