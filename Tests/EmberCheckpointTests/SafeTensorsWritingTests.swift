// Writing: byte-identical to `safetensors.torch.save` for the same tensors
// and metadata, round trips through the reader, atomic replacement, and the
// names the writer refuses.

import EmberCheckpoint
import EmberCore
import EmberTestSupport
import Foundation
import Testing

@Suite("SafeTensors writing")
struct SafeTensorsWritingTests {
    @Test("bytes equal the reference writer's for the same tensors and metadata",
          arguments: ["dtypes", "metadata", "empty", "noncontiguous"])
    func matchesReferenceBytes(_ name: String) throws {
        let url = CheckpointFixtures.url(name)
        let file = try SafeTensors.open(url)
        let hasMetadata = CheckpointFixtures.expected(name)["has_metadata"] as! Bool
        // Reversed, so the writer's own ordering is what is being checked.
        let tensors = try file.tensors().reversed().map { $0 }
        let bytes = try SafeTensors.serialize(tensors, metadata: hasMetadata ? file.metadata : nil)
        #expect(bytes == Array(try Data(contentsOf: url)))
    }

    @Test("non-contiguous tensors are written as their contiguous values")
    func writesNonContiguous() throws {
        let base = Tensor((0..<12).map(Double.init), shape: [3, 4]).to(.float32)
        let t = base.transpose(0, 1)
        #expect(!t.isContiguous)
        let row = base.slice(dim: 0, start: 1, end: 2, step: 1).reshape([4])
        let bytes = try SafeTensors.serialize([("t", t), ("row", row)])
        #expect(bytes == Array(try Data(contentsOf: CheckpointFixtures.url("noncontiguous"))))
    }

    @Test("write then read gives back every tensor, dtype, shape and metadata")
    func roundTrip() throws {
        let source = try SafeTensors.open(CheckpointFixtures.url("dtypes"))
        let tensors = try source.tensors()
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("out.safetensors")
            try SafeTensors.write(tensors, metadata: ["format": "pt", "epoch": "3"], to: url)
            let back = try SafeTensors.open(url)
            #expect(back.metadata == ["format": "pt", "epoch": "3"])
            #expect(Set(back.names) == Set(tensors.map(\.name)))
            for (name, t) in tensors {
                let u = try back.tensor(named: name)
                #expect(u.dtype == t.dtype && u.shape == t.shape, "\(name)")
                #expect(rawBytes(u) == rawBytes(t), "\(name)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.safetensors"])
        }
    }

    @Test("the dictionary form writes the same file as the list form")
    func dictionaryForm() throws {
        let a = Tensor([1, 2, 3] as [Float]), b = Tensor([4, 5] as [Double])
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("d.safetensors")
            try SafeTensors.write(["a": a, "b": b], to: url)
            #expect(Array(try Data(contentsOf: url)) == (try SafeTensors.serialize([("b", b), ("a", a)])))
        }
    }

    @Test("rewriting replaces the file atomically, even while the old one is mapped")
    func replacesAtomically() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("w.safetensors")
            try SafeTensors.write([("x", Tensor([1, 2] as [Float]))], to: url)
            let old = try SafeTensors.open(url)
            let oldX = try old.tensor(named: "x")
            try SafeTensors.write([("x", Tensor([7, 8, 9] as [Float]))], to: url)
            #expect(oldX.scalars(as: Float.self) == [1, 2])
            #expect(try SafeTensors.open(url).tensor(named: "x").scalars(as: Float.self) == [7, 8, 9])
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["w.safetensors"])
        }
    }

    @Test("refused: the reserved name, duplicate names, a missing directory")
    func writeErrors() throws {
        let x = Tensor([1] as [Float])
        #expect(throws: SafeTensorsError.reservedName(name: "__metadata__")) {
            try SafeTensors.serialize([("__metadata__", x)])
        }
        #expect(throws: SafeTensorsError.duplicateName(name: "x")) {
            try SafeTensors.serialize([("x", x), ("x", x)])
        }
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("missing/f.safetensors")
            #expect {
                try SafeTensors.write([("x", x)], to: url)
            } throws: { error in
                guard case .writeFailed(let path, _) = error as? SafeTensorsError else { return false }
                return path == url.path
            }
            #expect(!FileManager.default.fileExists(atPath: url.path))
        }
    }

    @Test("header is padded with spaces to a multiple of 8, so every tensor is aligned")
    func headerPadding() throws {
        let bytes = try SafeTensors.serialize([("a", Tensor([1] as [Double])), ("b", Tensor([true]))],
                                              metadata: ["k": "v"])
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(n % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"k":"v"},"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}"#))
        #expect(header.hasSuffix("}") || header.hasSuffix(" "))
    }
}
