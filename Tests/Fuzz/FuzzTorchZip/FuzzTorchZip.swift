// libFuzzer target: the zip container of torch.save files; every record the
// archive lists is copied out. Thrown TorchZipErrors are expected; traps and
// sanitizer reports are findings.

import EmberCheckpoint
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.write(data, size)
    guard let archive = try? TorchZipArchive(url: FuzzInput.url) else { return 0 }
    let prefix = archive.root + "/"
    for name in archive.entryNames where name.hasPrefix(prefix) {
        let relative = String(name.dropFirst(prefix.count))
        guard let record = try? archive.record(named: relative) else {
            fatalError("fuzz finding: listed entry \(name) has no record")
        }
        // The mapping is not instrumented: check the range against the file explicitly.
        check(record.range.lowerBound >= 0 && record.range.upperBound <= size,
                     "record \(name) at \(record.range) outside a file of \(size) bytes")
        guard let bytes = try? archive.bytes(named: relative) else { continue }
        blackHole(bytes.reduce(0) { $0 &+ Int($1) })
    }
    return 0
}

/// The process entry point SwiftPM links as `main` (see FuzzSupport/Driver.swift).
@_cdecl("FuzzTorchZip_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
