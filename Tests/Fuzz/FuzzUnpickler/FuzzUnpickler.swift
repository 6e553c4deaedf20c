// libFuzzer target: the restricted pickle reader on raw bytes, loading
// pickles back to back as the legacy format does. Thrown errors are
// expected; traps and sanitizer reports are findings.

import EmberCheckpoint
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var offset = 0
    // A legacy file holds five pickles in a row; each must advance.
    for _ in 0..<5 where offset < bytes.count {
        var reader = Unpickler(bytes, source: "fuzz.pkl", startingAt: offset)
        guard let value = try? reader.load() else { break }
        blackHole(value)
        check(reader.offset > offset, "load() returned without consuming bytes")
        offset = reader.offset
    }
    return 0
}

/// The process entry point SwiftPM links as `main` (see FuzzSupport/Driver.swift).
@_cdecl("FuzzUnpickler_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
