// `ember inspect` and `ember convert`, run as a user runs them: the built
// binary, its exit status, stdout and stderr.

import EmberCheckpoint
import EmberCore
import EmberNN
import EmberTestSupport
import Foundation
import Testing

@Test func inspectListsSafeTensors() throws {
    let run = try ember(["inspect", checkpoints.appendingPathComponent("metadata.safetensors").path])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    let file = try SafeTensors.open(checkpoints.appendingPathComponent("metadata.safetensors"))
    #expect(file.entries.count == 1 && file.metadata.count == 1)
    #expect(lines.first?.hasSuffix("metadata.safetensors: safetensors, 1 tensor, 4 B") == true, "\(lines.first ?? "")")
    // The fixture's names hold tabs and newlines: shown escaped, one per line.
    #expect(lines.count == 4, "\(lines)")
    for (k, v) in file.metadata {
        #expect(lines.contains("  \(k): \(v.replacingOccurrences(of: "\t", with: "\\t"))"), "\(lines)")
    }
    let e = file.entries[0]
    #expect(lines.last == "  \(e.name.replacingOccurrences(of: "\n", with: "\\n"))  float16 [2]  4 B", "\(lines)")
}

@Test func inspectJSONDescribesANestedCheckpoint() throws {
    let path = checkpoints.appendingPathComponent("pth/checkpoint.pth.tar").path
    let run = try ember(["inspect", path, "--format", "json"])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(json["format"] as? String == "pytorch-zip")
    let tree = try #require(json["tree"] as? [String: Any])
    #expect(tree["epoch"] as? Int == 7)
    #expect(tree["arch"] as? String == "densenet121")
    let tensors = try #require(json["tensors"] as? [[String: Any]])
    let conv = try #require(tensors.first { $0["name"] as? String == "state_dict.module.conv.weight" })
    #expect(conv["dtype"] as? String == "float32")
    #expect(conv["shape"] as? [Int] == [4, 3, 3, 3])
    #expect(conv["bytes"] as? Int == 4 * 27 * 4)
    #expect(tensors.contains { $0["name"] as? String == "optimizer.state.0.exp_avg" })
}

@Test func inspectTextShowsNestedKeys() throws {
    let run = try ember(["inspect", checkpoints.appendingPathComponent("pth/checkpoint_legacy.pth.tar").path])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.contains("pytorch-legacy") == true)
    #expect(lines.contains("epoch: 7"))
    #expect(lines.contains("state_dict:"))
    #expect(lines.contains { $0.hasPrefix("  module.fc.weight: tensor float32 [2, 4]") })
    #expect(lines.contains("history: [1, 2.5, \"x\", None, True, False]"))
}

@Test("convert .pth → .safetensors → .pth keeps every tensor, with the key picked and the prefix stripped")
func convertRoundTrip() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = checkpoints.appendingPathComponent("pth/checkpoint_legacy.pth.tar")
    let st = dir.appendingPathComponent("model.safetensors").path, back = dir.appendingPathComponent("model.pth").path
    let first = try ember(["convert", source.path, st, "--key", "state_dict", "--strip-prefix", "module."])
    #expect(first.status == 0, "\(first.stderr)")
    let second = try ember(["convert", st, back])
    #expect(second.status == 0, "\(second.stderr)")

    let original = try StateDict(contentsOf: source, key: "state_dict")
    let converted = try StateDict(contentsOf: URL(fileURLWithPath: back))
    #expect(converted.keys == original.keys.map { String($0.dropFirst("module.".count)) }.sorted { a, b in
        // safetensors orders by dtype alignment, then name; all of these are float32 except num_batches_tracked.
        (a.hasSuffix("num_batches_tracked") ? 0 : 1, a) < (b.hasSuffix("num_batches_tracked") ? 0 : 1, b)
    })
    for (key, tensor) in original { #expect(converted[String(key.dropFirst(7))]?.equal(tensor) == true, "\(key)") }
    #expect(try SafeTensors.open(URL(fileURLWithPath: st)).metadata == ["format": "pt"])
}

@Test("bad input ends in a one-line error and a non-zero status",
      arguments: [["inspect", "/nonexistent/model.pth"], ["inspect", "Package.swift"],
                  ["convert", "CHECKPOINT", "OUT.safetensors"], ["convert", "CHECKPOINT", "OUT.pth", "--key", "model"]])
func badInputFails(_ arguments: [String]) throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let args = arguments.map {
        $0 == "CHECKPOINT" ? checkpoints.appendingPathComponent("pth/checkpoint.pth.tar").path
            : $0.hasPrefix("OUT") ? dir.appendingPathComponent($0).path : $0
    }
    let run = try ember(args)
    #expect(run.status != 0)
    #expect(run.stderr.contains("Error:"), "\(run.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no partial output")
}
