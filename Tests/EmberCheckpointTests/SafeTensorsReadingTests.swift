// Reading the files the reference `safetensors` package wrote: names, entries
// and metadata without loading, every dtype's values and bytes exactly, and
// how tensors share (or copy from) the memory mapping.

import EmberCheckpoint
import EmberCore
import EmberTestSupport
import Foundation
import Testing

@Suite("SafeTensors reading")
struct SafeTensorsReadingTests {
    @Test("reference files: metadata, order, entries, values and bytes", arguments: CheckpointFixtures.fileNames)
    func readsReferenceFile(_ name: String) throws {
        let expected = CheckpointFixtures.expected(name)
        let file = try SafeTensors.open(CheckpointFixtures.url(name))
        #expect(file.metadata == expected["metadata"] as! [String: String])
        #expect(file.names == expected["order"] as! [String])
        let headerEnd = 8 + (expected["header_length"] as! Int)
        let tensors = expected["tensors"] as! [String: [String: Any]]
        #expect(file.entries.count == tensors.count)
        for (tensorName, json) in tensors {
            let spec = FixtureLoader.spec(json)
            let entry = try #require(file[tensorName])
            let offsets = json["data_offsets"] as! [Int]
            #expect(entry.dtype == spec.dtype, "\(tensorName)")
            #expect(entry.shape == spec.shape, "\(tensorName)")
            #expect(entry.dataOffsets == offsets[0]..<offsets[1], "\(tensorName)")
            #expect(entry.fileOffsets == (offsets[0] + headerEnd)..<(offsets[1] + headerEnd), "\(tensorName)")
            let t = try file.tensor(named: tensorName)
            #expect(t.dtype == spec.dtype && t.shape == spec.shape, "\(tensorName)")
            #expect(hex(rawBytes(t)) == json["hex"] as! String, "\(tensorName) bytes")
            expectValues(t, spec.data, shape: spec.shape)
        }
    }

    @Test("every Ember dtype appears in the dtype fixture")
    func coversEveryDType() throws {
        let file = try SafeTensors.open(CheckpointFixtures.url("dtypes"))
        #expect(Set(file.entries.compactMap(\.dtype)) == Set(DType.allCases))
        #expect(file["scalar_f32"]?.shape == [])
        #expect(file["empty_bf16"]?.shape == [4, 0, 2])
    }

    @Test("aligned tensors are views into the mapping, with the file's strides")
    func alignedTensorsAreZeroCopy() throws {
        let file = try SafeTensors.open(CheckpointFixtures.url("dtypes"))
        for entry in file.entries where !entry.shape.contains(0) {
            let t = try file.tensor(named: entry.name)
            #expect(file.isMapped(t), "\(entry.name) should be a view of the mapping")
            #expect(t.isContiguous)
        }
    }

    @Test("unaligned tensors are copied, and still correct")
    func unalignedTensorsAreCopied() throws {
        let file = try SafeTensors.open(CheckpointFixtures.url("unaligned"))
        let f = try file.tensor(named: "b_f32")
        #expect(!file.isMapped(f))
        #expect(f.scalars(as: Float.self) == [1.25, -3.5])
        let i = try file.tensor(named: "c_i64")
        #expect(!file.isMapped(i))
        #expect(i.scalars(as: Int64.self) == [-5])
        #expect(file.isMapped(try file.tensor(named: "a_u8")))
    }

    @Test("a tensor keeps the mapping alive after its handle is gone")
    func tensorOutlivesHandle() throws {
        var t: Tensor? = nil
        do {
            let file = try SafeTensors.open(CheckpointFixtures.url("dtypes"))
            t = try file.tensor(named: "i16")
        }
        #expect(t!.scalars(as: Int16.self) == [1, -2, 32767, -32768])
    }

    @Test("in-place ops on a mapped tensor change neither the file nor other readers")
    func mappingIsPrivate() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("m.safetensors")
            try FileManager.default.copyItem(at: CheckpointFixtures.url("noncontiguous"), to: url)
            let before = try Data(contentsOf: url)
            let file = try SafeTensors.open(url)
            let t = try file.tensor(named: "row")
            #expect(file.isMapped(t))
            t.fill_(42)
            #expect(t.scalars(as: Float.self) == [42, 42, 42, 42])
            #expect(try Data(contentsOf: url) == before)
            let other = try SafeTensors.open(url)
            #expect(try other.tensor(named: "row").scalars(as: Float.self) == [4, 5, 6, 7])
        }
    }

    @Test("bool bytes other than 0 and 1 read as true")
    func boolBytesAreNormalized() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("b.safetensors")
            let header = #"{"b":{"dtype":"BOOL","shape":[4],"data_offsets":[0,4]}}"#
            try Data(safetensorsBytes(header, data: [0, 1, 2, 255])).write(to: url)
            let t = try SafeTensors.open(url).tensor(named: "b")
            #expect(rawBytes(t) == [0, 1, 1, 1])
        }
    }

    @Test("format dtypes without an Ember type validate, and refuse to load")
    func unsupportedDType() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("u16.safetensors")
            let header = #"{"u":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}}"#
            try Data(safetensorsBytes(header, data: [1, 0, 2, 0])).write(to: url)
            let file = try SafeTensors.open(url)
            #expect(file["u"]?.dtypeName == "U16" && file["u"]?.dtype == nil)
            #expect(throws: SafeTensorsError.unsupportedDType(path: url.path, tensor: "u", dtype: "U16")) {
                try file.tensor(named: "u")
            }
            #expect(throws: SafeTensorsError.tensorNotFound(path: url.path, name: "v")) {
                try file.tensor(named: "v")
            }
        }
    }

    @Test("accepted as the reference accepts: whitespace, any key order, extra fields, null metadata")
    func lenientWhereReferenceIs() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("ok.safetensors")
            let header = " \n{\"__metadata__\":null, \"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2],\"extra\":[{}]},"
                + "\"a\":{\"data_offsets\":[0,1],\"shape\":[],\"dtype\":\"I8\"}}  \t"
            try Data(safetensorsBytes(header, data: [0xFF, 7])).write(to: url)
            let file = try SafeTensors.open(url)
            #expect(file.names == ["a", "b"])
            #expect(file.metadata.isEmpty)
            #expect(try file.tensor(named: "a").item() == -1)
        }
    }
}
