// The checkpoint issue's cases: opening a 100 MB safetensors file against
// the bare mmap of it, and loading (and saving) a 100 MB .pth against
// torch.load / torch.save. Names match Benchmarks/compare_torch.py.

import EmberCheckpoint
import EmberCore
import EmberNN
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// 25 weights of 1024×1024 and their biases: 105 MB of float32, like a mid-sized model.
func checkpointBenchStateDict() -> StateDict {
    manualSeed(0)
    var sd = StateDict()
    for i in 0..<25 {
        sd["layers.\(i).weight"] = Tensor.randn([1024, 1024])
        sd["layers.\(i).bias"] = Tensor.randn([1024])
    }
    return sd
}

func runCheckpointCases() {
    let cases = ["mmap 100MB file", "safetensors open 100MB", "pth load 100MB", "pth load+sum 100MB", "pth save 100MB"]
    if let filter = options.filter, !cases.contains(where: { $0.contains(filter) }) { return }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-\(getpid())")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let st = dir.appendingPathComponent("model.safetensors"), pth = dir.appendingPathComponent("model.pth")
    let sd = checkpointBenchStateDict()
    try! sd.save(to: st)
    try! sd.save(to: pth)

    // The floor for opening: map the file and unmap it, touching nothing.
    bench("mmap 100MB file") {
        let fd = open(st.path, O_RDONLY)
        var info = stat()
        fstat(fd, &info)
        let p = mmap(nil, Int(info.st_size), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        munmap(p, Int(info.st_size))
        close(fd)
    }
    bench("safetensors open 100MB") { _ = try! SafeTensors.open(st).tensors() }
    bench("pth load 100MB") { _ = try! TorchCheckpoint.load(pth) }
    bench("pth load+sum 100MB") {
        guard case .dict(let items, _) = try! TorchCheckpoint.load(pth) else { return }
        for item in items { if case .tensor(let t) = item.value { _ = t.sum() } }
    }
    // Ember's save ends in fsync before its rename (atomic, durable); torch.save does not fsync.
    let out = dir.appendingPathComponent("saved.pth")
    bench("pth save 100MB") { try! sd.save(to: out) }
}
