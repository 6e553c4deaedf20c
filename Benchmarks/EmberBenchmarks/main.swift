// Ember's benchmark program. Prints one line per case:
//   <name>: median <ms> ms (min <ms>) [<rate> <unit>]
// with the same case names as Benchmarks/compare_torch.py, which runs the
// PyTorch side and prints the ratio table. Usage: ember-bench [--threads N] [filter]

import COpenBLAS
import EmberCore
import Foundation

func parseArguments() -> (threads: Int, filter: String?) {
    var threads = 2
    var filter: String? = nil
    var arguments = CommandLine.arguments.dropFirst()
    while let a = arguments.popFirst() {
        if a == "--threads", let n = arguments.popFirst().flatMap(Int.init) { threads = n } else { filter = a }
    }
    return (threads, filter)
}
let options = parseArguments()
setNumThreads(options.threads)

/// Whether any of `names` passes the filter: cases build their inputs only then.
func wanted(_ names: String...) -> Bool {
    guard let filter = options.filter else { return true }
    return names.contains { $0.contains(filter) }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }

/// Times `body` after a warm-up; repeats until ~1 s or 50 runs, at least 5.
func bench(_ name: String, rate: (Double, String)? = nil, _ body: () -> Void) {
    if let filter = options.filter, !name.contains(filter) { return }
    body()
    var times: [Double] = []
    let start = now()
    while times.count < 5 || (times.count < 50 && now() - start < 1000) {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    times.sort()
    let median = times[times.count / 2]
    var line = "\(name): median \(String(format: "%.3f", median)) ms (min \(String(format: "%.3f", times[0])))"
    if let (amount, unit) = rate { line += " \(String(format: "%.1f", amount / (median / 1000))) \(unit)" }
    print(line)
}

manualSeed(0)
for n in [512, 1024, 2048] where wanted("matmul \(n)") {
    let a = Tensor.randn([n, n]), b = Tensor.randn([n, n])
    bench("matmul \(n)", rate: (2 * Double(n * n * n) / 1e9, "GFLOP/s")) { _ = a.matmul(b) }
}
if wanted("bmm 32x128x64x128") {
    let a = Tensor.randn([32, 128, 64]), b = Tensor.randn([32, 64, 128])
    bench("bmm 32x128x64x128", rate: (2 * 32 * 128 * 64 * 128 / 1e9, "GFLOP/s")) { _ = a.bmm(b) }
}
if wanted("add 16M", "mul 16M", "gelu 16M") {
    let n = 16 * 1024 * 1024
    let x = Tensor.randn([n]), y = Tensor.randn([n])
    let bytes3 = Double(3 * 4 * n) / 1e9, bytes2 = Double(2 * 4 * n) / 1e9
    bench("add 16M", rate: (bytes3, "GB/s")) { _ = x + y }
    bench("mul 16M", rate: (bytes3, "GB/s")) { _ = x * y }
    bench("gelu 16M", rate: (bytes2, "GB/s")) { _ = x.gelu() }
}
if wanted("broadcast add 4096x4096+4096", "sum last dim 4096x4096", "softmax last dim 4096x4096",
          "transpose contiguous 4096x4096") {
    let m = Tensor.randn([4096, 4096]), v = Tensor.randn([4096])
    let bytes = Double(4096 * 4096 * 4) / 1e9
    bench("broadcast add 4096x4096+4096", rate: (2 * bytes, "GB/s")) { _ = m + v }
    bench("sum last dim 4096x4096", rate: (bytes, "GB/s")) { _ = m.sum(dim: -1) }
    bench("softmax last dim 4096x4096", rate: (2 * bytes, "GB/s")) { _ = m.softmax(dim: -1) }
    bench("transpose contiguous 4096x4096", rate: (2 * bytes, "GB/s")) { _ = m.t().contiguous() }
}

runTrainingCases()
runCheckpointCases()
runVisionCases()
runGEMMKernelCases()
runTextCases()
runTokenizerCases()
runGPT2Cases()

// The same products straight through OpenBLAS on its own threads, to show what
// Ember adds (Ember keeps OpenBLAS single-threaded and splits rows itself).
// Last, because OpenBLAS's idle threads spin for a while after each call.
openblas_set_num_threads(Int32(options.threads))
for n in [512, 1024, 2048] where wanted("openblas sgemm \(n)") {
    let a = Tensor.randn([n, n]), b = Tensor.randn([n, n]), c = Tensor.zeros([n, n])
    bench("openblas sgemm \(n)", rate: (2 * Double(n * n * n) / 1e9, "GFLOP/s")) {
        a.withUnsafeBufferPointer(as: Float.self) { pa in
            b.withUnsafeBufferPointer(as: Float.self) { pb in
                c.withUnsafeMutableBufferPointer(as: Float.self) { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                                pa.baseAddress, Int32(n), pb.baseAddress, Int32(n), 0, pc.baseAddress, Int32(n))
                }
            }
        }
    }
}
