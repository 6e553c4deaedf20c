// libFuzzer target: a safetensors file, opened and every tensor read.
// Thrown SafeTensorsErrors are expected; traps and sanitizer reports are findings.

import EmberCheckpoint
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.write(data, size)
    guard let file = try? SafeTensors.open(atPath: FuzzInput.path) else { return 0 }
    _ = file.metadata.count
    for name in file.names {
        guard let tensor = try? file.tensor(named: name) else { continue }
        blackHole(touch(tensor))
    }
    return 0
}

/// The process entry point SwiftPM links as `main` (see FuzzSupport/Driver.swift).
@_cdecl("FuzzSafeTensors_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
