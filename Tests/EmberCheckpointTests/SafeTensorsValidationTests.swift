// Malformed files, built byte by byte: each must be refused with the
// specific error (file, tensor or field, numbers), never a trap, a hang or
// an allocation sized by the header.

import EmberCheckpoint
import EmberCore
import Foundation
import Testing

/// Writes `bytes` to a temporary file and returns what opening it threw
/// (nil if it opened), with the path the error should name.
private func refusal(_ bytes: [UInt8]) throws -> (error: SafeTensorsError?, path: String) {
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent("bad.safetensors")
        try Data(bytes).write(to: url)
        do throws(SafeTensorsError) {
            _ = try SafeTensors.open(url)
            return (nil, url.path)
        } catch {
            return (error, url.path)
        }
    }
}

private func entry(_ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
    #"{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(begin),\#(end)]}"#
}

@Suite("SafeTensors validation")
struct SafeTensorsValidationTests {
    @Test("shorter than the 8-byte length")
    func fileTooSmall() throws {
        let (e0, p0) = try refusal([])
        #expect(e0 == .fileTooSmall(path: p0, byteCount: 0))
        let (e3, p3) = try refusal([1, 0, 0])
        #expect(e3 == .fileTooSmall(path: p3, byteCount: 3))
    }

    @Test("header length past the cap, including 2^64 - 1")
    func headerTooLarge() throws {
        for n: UInt64 in [100_000_001, .max] {
            let (e, p) = try refusal(safetensorsBytes("{}", length: n))
            #expect(e == .headerTooLarge(path: p, headerLength: n, limit: 100_000_000))
        }
        // At the cap the length is legal, and only the file's size refuses it.
        let (e, p) = try refusal(safetensorsBytes("{}", length: 100_000_000))
        #expect(e == .headerBeyondFile(path: p, headerLength: 100_000_000, fileSize: 10))
    }

    @Test("header length past the end of the file")
    func headerBeyondFile() throws {
        let (e, p) = try refusal(safetensorsBytes("{}", length: 3))
        #expect(e == .headerBeyondFile(path: p, headerLength: 3, fileSize: 10))
    }

    @Test("every truncation of a valid file is refused")
    func truncated() throws {
        let full = Array(try Data(contentsOf: CheckpointFixtures.url("dtypes")))
        let (e20, p20) = try refusal(Array(full.prefix(20)))
        #expect(e20 == .headerBeyondFile(path: p20, headerLength: 1096, fileSize: 20))
        // One byte short: the last tensor (a 1-byte bool scalar) runs past the data.
        let (e, p) = try refusal(Array(full.dropLast()))
        let dataSize = full.count - 1 - 8 - 1096
        #expect(e == .offsetsOutOfBounds(path: p, tensor: "scalar_bool", begin: UInt64(dataSize),
                                         end: UInt64(dataSize + 1), dataSize: dataSize))
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("t.safetensors")
            for n in 0..<full.count {
                try Data(full.prefix(n)).write(to: url)
                #expect(throws: SafeTensorsError.self, "prefix \(n)") { try SafeTensors.open(url) }
            }
        }
    }

    @Test("header not UTF-8")
    func notUTF8() throws {
        var bytes = safetensorsBytes(#"{"ab":1}"#)
        bytes[8 + 2] = 0xFF
        let (e, p) = try refusal(bytes)
        #expect(e == .headerNotUTF8(path: p, byteOffset: 2))
    }

    @Test("bad JSON: syntax, not an object, trailing NUL, lone surrogate, deep nesting",
          arguments: [#"{"a":"#, "[1]", "{}\u{0}", #"{"a\ud800":1}"#, #"{"a" 1}"#, "{,}", "",
                      String(repeating: "[", count: 100_000)])
    func invalidJSON(_ header: String) throws {
        let (e, _) = try refusal(safetensorsBytes(header))
        guard case .invalidJSON = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test("unknown and wrong-case dtype names")
    func unknownDType() throws {
        for name in ["f32", "FLOAT32", "F8"] {
            let (e, p) = try refusal(safetensorsBytes(#"{"w":\#(entry(name, [1], 0, 4))}"#, data: [0, 0, 0, 0]))
            #expect(e == .unknownDType(path: p, tensor: "w", dtype: name))
        }
    }

    @Test("offsets past the data section, including near 2^64")
    func offsetsOutOfBounds() throws {
        let (e, p) = try refusal(safetensorsBytes(#"{"a":\#(entry("U8", [4], 0, 4))}"#, data: [1, 2]))
        #expect(e == .offsetsOutOfBounds(path: p, tensor: "a", begin: 0, end: 4, dataSize: 2))
        let big = UInt64.max
        let header = #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[\#(big - 1),\#(big)]}}"#
        let (e2, p2) = try refusal(safetensorsBytes(header, data: [1]))
        #expect(e2 == .offsetsOutOfBounds(path: p2, tensor: "a", begin: big - 1, end: big, dataSize: 1))
    }

    @Test("offsets that end before they begin")
    func offsetsReversed() throws {
        let (e, p) = try refusal(safetensorsBytes(#"{"a":\#(entry("U8", [0], 4, 2))}"#, data: [1, 2, 3, 4]))
        #expect(e == .offsetsReversed(path: p, tensor: "a", begin: 4, end: 2))
    }

    @Test("overlapping tensors")
    func overlap() throws {
        let header = #"{"a":\#(entry("U8", [4], 0, 4)),"b":\#(entry("U8", [4], 2, 6))}"#
        let (e, p) = try refusal(safetensorsBytes(header, data: Array(repeating: 0, count: 6)))
        #expect(e == .overlap(path: p, tensor: "b", previous: "a", begin: 2, previousEnd: 4))
    }

    @Test("gaps between tensors and before the first")
    func gap() throws {
        let header = #"{"b":\#(entry("U8", [2], 3, 5)),"a":\#(entry("U8", [2], 0, 2))}"#
        let (e, p) = try refusal(safetensorsBytes(header, data: Array(repeating: 0, count: 5)))
        #expect(e == .gap(path: p, tensor: "b", begin: 3, expectedBegin: 2))
        let (e2, p2) = try refusal(safetensorsBytes(#"{"a":\#(entry("U8", [2], 1, 3))}"#, data: [0, 0, 0]))
        #expect(e2 == .gap(path: p2, tensor: "a", begin: 1, expectedBegin: 0))
    }

    @Test("data bytes after the last tensor")
    func trailingBytes() throws {
        let (e, p) = try refusal(safetensorsBytes(#"{"a":\#(entry("U8", [2], 0, 2))}"#, data: [0, 0, 0]))
        #expect(e == .trailingBytes(path: p, coveredBytes: 2, dataSize: 3))
        let (e2, p2) = try refusal(safetensorsBytes("{}", data: [0]))
        #expect(e2 == .trailingBytes(path: p2, coveredBytes: 0, dataSize: 1))
    }

    @Test("byte length differs from shape × element size")
    func sizeMismatch() throws {
        let (e, p) = try refusal(safetensorsBytes(#"{"a":\#(entry("F32", [2], 0, 4))}"#, data: [0, 0, 0, 0]))
        #expect(e == .sizeMismatch(path: p, tensor: "a", dtype: "F32", shape: [2], expectedBytes: 8, actualBytes: 4))
    }

    @Test("shapes whose size overflows, and sub-byte dtypes that leave a partial byte")
    func sizeOverflow() throws {
        let dims: [UInt64] = [1 << 32, 1 << 32, 2]
        let header = #"{"a":{"dtype":"F32","shape":\#(dims),"data_offsets":[0,4]}}"#
        let (e, p) = try refusal(safetensorsBytes(header, data: [0, 0, 0, 0]))
        #expect(e == .sizeOverflow(path: p, tensor: "a", shape: dims))
        let (e2, p2) = try refusal(safetensorsBytes(#"{"a":\#(entry("F4", [3], 0, 2))}"#, data: [0, 0]))
        #expect(e2 == .partialByte(path: p2, tensor: "a", dtype: "F4", elementCount: 3))
    }

    @Test("duplicate keys, among tensors and inside an entry")
    func duplicateKeys() throws {
        let header = #"{"a":\#(entry("U8", [1], 0, 1)),"a":\#(entry("U8", [1], 1, 2))}"#
        let (e, p) = try refusal(safetensorsBytes(header, data: [0, 0]))
        let second = Array(header.utf8).count - entry("U8", [1], 1, 2).utf8.count - 1 - 4
        #expect(e == .duplicateKey(path: p, key: "a", byteOffset: second))
        let inner = #"{"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#
        let (e2, _) = try refusal(safetensorsBytes(inner, data: [0]))
        guard case .duplicateKey(_, "dtype", _) = e2 else { Issue.record("got \(String(describing: e2))"); return }
    }

    @Test("metadata must map strings to strings")
    func invalidMetadata() throws {
        let (e, p) = try refusal(safetensorsBytes(#"{"__metadata__":{"ok":"1","k":1}}"#))
        #expect(e == .invalidMetadata(path: p, key: "k", reason: "value is a number, not a string"))
        let (e2, _) = try refusal(safetensorsBytes(#"{"__metadata__":["x"]}"#))
        guard case .invalidMetadata(_, "__metadata__", _) = e2 else { Issue.record("got \(String(describing: e2))"); return }
    }

    @Test("entries with missing fields or fields of the wrong type",
          arguments: [(#"{"dtype":"U8","data_offsets":[0,1]}"#, "shape"),
                      (#"{"shape":[1],"data_offsets":[0,1]}"#, "dtype"),
                      (#"{"dtype":"U8","shape":[1]}"#, "data_offsets"),
                      (#"{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}"#, "shape"),
                      (#"{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}"#, "shape"),
                      (#"{"dtype":"U8","shape":[1e0],"data_offsets":[0,1]}"#, "shape"),
                      (#"{"dtype":"U8","shape":[18446744073709551616],"data_offsets":[0,1]}"#, "shape"),
                      (#"{"dtype":"U8","shape":1,"data_offsets":[0,1]}"#, "shape"),
                      (#"{"dtype":8,"shape":[1],"data_offsets":[0,1]}"#, "dtype"),
                      (#"{"dtype":"U8","shape":[1],"data_offsets":[0,1,1]}"#, "data_offsets"),
                      (#"{"dtype":"U8","shape":[1],"data_offsets":[-0,1]}"#, "data_offsets"),
                      (#"[]"#, "")])
    func invalidEntry(_ json: String, _ field: String) throws {
        let (e, p) = try refusal(safetensorsBytes(#"{"t":\#(json)}"#, data: [0]))
        guard case .invalidEntry(p, "t", field, _)? = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test("missing files and directories cannot be opened")
    func cannotOpen() throws {
        #expect {
            try SafeTensors.open(atPath: "/nonexistent/x.safetensors")
        } throws: { error in
            guard case .cannotOpen("/nonexistent/x.safetensors", _) = error as? SafeTensorsError else { return false }
            return true
        }
        #expect {
            try SafeTensors.open(atPath: "/tmp")
        } throws: { error in
            guard case .cannotOpen("/tmp", "not a regular file") = error as? SafeTensorsError else { return false }
            return true
        }
    }

    @Test("flipped bytes never trap: each file opens and loads, or throws")
    func corruptedBytes() throws {
        let full = Array(try Data(contentsOf: CheckpointFixtures.url("dtypes")))
        var rng = SplitMix(seed: 11)
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("c.safetensors")
            for _ in 0..<400 {
                var bytes = full
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    // Mostly the header, where the structure is.
                    let i = Int(rng.next() % UInt64(rng.next() % 4 == 0 ? bytes.count : 8 + 1096))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                try Data(bytes).write(to: url)
                if let file = try? SafeTensors.open(url) {
                    for name in file.names { _ = try? file.tensor(named: name) }
                }
            }
        }
    }

    @Test("errors name the file, the tensor and the numbers")
    func descriptions() {
        let e = SafeTensorsError.sizeMismatch(path: "/m.safetensors", tensor: "fc.weight", dtype: "F32",
                                              shape: [2, 3], expectedBytes: 24, actualBytes: 20)
        #expect(e.description == "/m.safetensors: tensor \"fc.weight\": F32 [2, 3] needs 24 bytes but data_offsets span 20")
    }
}

/// A small deterministic generator, so a failing corruption is reproducible.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
