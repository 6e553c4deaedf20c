// Running the built `ember` binary as a user does: its exit status, stdout
// and stderr.

import EmberTestSupport
import Foundation

/// The `ember` binary, built beside this test bundle.
let emberBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("ember")
let checkpoints = FixtureLoader.directory.appendingPathComponent("checkpoint")

struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

func ember(_ arguments: [String], stdin: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = emberBinary
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    // The texts are small, so writing them before reading can't deadlock on a full pipe.
    input.fileHandleForWriting.write(Data((stdin ?? "").utf8))
    try input.fileHandleForWriting.close()
    // Both pipes drain while the child runs, so neither can fill up and stall it.
    nonisolated(unsafe) var stderr = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        stderr = err.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
               stderr: String(decoding: stderr, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-cli-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

