// SwiftPM links an executable with `main` aliased to `<Module>_main` (so
// tests can import executables), which leaves libFuzzer's own `main` out.
// Each fuzz target therefore defines `<Module>_main` and starts libFuzzer
// through its public driver entry point, with the same arguments.

/// libFuzzer's driver: `int LLVMFuzzerRunDriver(int *argc, char ***argv,
/// int (*UserCb)(const uint8_t *Data, size_t Size))`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The test callback libFuzzer calls with each input.
public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

/// Runs libFuzzer over `test` with the process's command line.
public func runLibFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                         _ test: FuzzTest) -> CInt {
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}
