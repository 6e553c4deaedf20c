// libFuzzer target: the whole .pth loader (zip and legacy formats), with
// every tensor it returns checked against its storage and read. Thrown
// errors are expected; traps and sanitizer reports are findings.

import EmberCheckpoint
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.write(data, size)
    guard let value = try? TorchCheckpoint.load(FuzzInput.url) else { return 0 }
    blackHole(touch(value))
    return 0
}

/// The process entry point SwiftPM links as `main` (see FuzzSupport/Driver.swift).
@_cdecl("FuzzTorchCheckpoint_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
