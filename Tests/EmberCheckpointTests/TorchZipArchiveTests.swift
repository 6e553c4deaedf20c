// The zip container on archives torch wrote (Tests/Fixtures/checkpoint/pth,
// made by Tests/Fixtures/Scripts/gen_pth.py) and on copies of one damaged
// on purpose: each damage ends in its specific TorchZipError, never a crash
// or a read outside the file.

import EmberCheckpoint
import EmberTestSupport
import Foundation
import Testing

private let pthDirectory = FixtureLoader.directory.appendingPathComponent("checkpoint/pth")
nonisolated(unsafe) private let expectedFiles = FixtureLoader.json("checkpoint/pth/expected.json")["files"] as! [String: [String: Any]]

private let zipFixtures: [(file: String, root: String)] = [
    ("state_dict.pt", "state_dict"), ("checkpoint.pth.tar", "checkpoint.pth"), ("views.pt", "views"),
    ("dtypes.pt", "dtypes"), ("many_keys.pt", "many_keys"), ("proto4.pt", "proto4"), ("os_system.pt", "os_system"),
]

/// Bytes per element of each legacy storage class (formats.md 1.4).
private let storageElementSize = [
    "FloatStorage": 4, "DoubleStorage": 8, "HalfStorage": 2, "BFloat16Storage": 2, "LongStorage": 8,
    "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1, "ByteStorage": 1, "BoolStorage": 1,
]

private func open(_ file: String) throws -> TorchZipArchive {
    try TorchZipArchive(url: pthDirectory.appendingPathComponent(file))
}

/// The zip-format persistent ids `('storage', torch.<Type>, key, location, numel)` in a tree.
private func storageReferences(_ value: PickleValue) -> [(type: String, key: String, numel: Int64)] {
    switch value {
    case .persistent(.tuple(let id)):
        if id.count == 5, case .global("torch", let type) = id[1], case .string(let key) = id[2], case .int(let n) = id[4] {
            return [(type, key, n)]
        }
        Issue.record("unexpected persistent id \(id)")
        return []
    case .list(let items), .tuple(let items): return items.flatMap(storageReferences)
    case .dict(let items, _, let attributes):
        return (items + attributes).flatMap { storageReferences($0.key) + storageReferences($0.value) }
    case .reduce(let callable, let arguments): return storageReferences(callable) + arguments.flatMap(storageReferences)
    default: return []
    }
}

@Test("torch zip archives open and their root is found", arguments: zipFixtures.map(\.file))
func zipArchiveOpens(_ file: String) throws {
    let archive = try open(file)
    #expect(archive.root == zipFixtures.first { $0.file == file }!.root)
    #expect(archive.entryNames.first == archive.root + "/data.pkl", "torch writes data.pkl first")
    #expect(try archive.bytes(named: "byteorder") == Array("little".utf8))
    #expect(try archive.bytes(named: "version") == Array("3\n".utf8))
    #expect(try archive.bytes(named: ".storage_alignment") == Array("64".utf8))
    #expect(!archive.contains("missing"))
    #expect(throws: TorchZipError.recordNotFound(path: archive.path, name: archive.root + "/missing")) {
        _ = try archive.record(named: "missing")
    }
}

@Test("data.pkl unpickles to the saved object and its storages are records of the right size",
      arguments: zipFixtures.map(\.file).filter { $0 != "os_system.pt" })
func zipArchivePickleAndStorages(_ file: String) throws {
    let archive = try open(file)
    var reader = Unpickler(try archive.bytes(named: "data.pkl"), source: file + "/data.pkl")
    let value = try reader.load()
    expectMatches(value, expectedFiles[file]!["object"] as! [String: Any], file)
    let references = storageReferences(value)
    #expect(!references.isEmpty)
    for ref in references {
        let record = try archive.record(named: "data/" + ref.key)
        guard let size = storageElementSize[ref.type] else { Issue.record("\(file): storage type \(ref.type)"); continue }
        #expect(record.range.count == Int(ref.numel) * size, "\(file) data/\(ref.key): \(ref.numel) × \(ref.type)")
        #expect(record.range.lowerBound % 64 == 0, "\(file) data/\(ref.key) starts at \(record.range.lowerBound)")
    }
    // Every data/ record is referenced by the pickle: storages are not orphaned.
    let dataRecords = archive.entryNames.filter { $0.hasPrefix(archive.root + "/data/") }
    #expect(Set(dataRecords) == Set(references.map { archive.root + "/data/" + $0.key }))
}

@Test func zipRecordBytesAreTheStorage() throws {
    // Storages are numbered in first-seen order: state_dict.pt's
    // num_batches_tracked (int64 0) is data/6, fc.bias (two floats) data/8.
    let archive = try open("state_dict.pt")
    #expect(try archive.withBytes(named: "data/6") { Array($0) } == [UInt8](repeating: 0, count: 8))
    let bias = try archive.withBytes(named: "data/8") { $0.loadUnaligned(as: (Float, Float).self) }
    #expect(bias.0 == -0.42506224 && bias.1 == 0.1935265)
    let dtypes = try open("dtypes.pt")
    #expect(try dtypes.withBytes(named: "data.pkl") { $0.prefix(2).elementsEqual([0x80, 0x02]) })
}

@Test func zipOsSystemIsRefusedByName() throws {
    let archive = try open("os_system.pt")
    var reader = Unpickler(try archive.bytes(named: "data.pkl"), source: "os_system.pt/data.pkl")
    let error = #expect(throws: PickleError.self) { _ = try reader.load() }
    guard case .forbiddenGlobal(_, _, let module, let name) = error else { Issue.record("\(String(describing: error))"); return }
    #expect(expectedFiles["os_system.pt"]!["refused_global"] as! String == "\(module).\(name)")
}

// MARK: Damaged archives

/// Writes `bytes` to a temporary file and opens it.
private func openBytes(_ bytes: [UInt8], in dir: URL, name: String = "damaged.pt") throws -> TorchZipArchive {
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return try TorchZipArchive(url: url)
}

private func put(_ value: UInt64, width: Int, at offset: Int, in bytes: inout [UInt8]) {
    for i in 0..<width { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
}

private func read(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
    (0..<width).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
}

/// Where torch's records lie in a file without an archive comment.
private struct Layout {
    let bytes: [UInt8]
    var end: Int { bytes.count - 22 }
    var locator: Int { end - 20 }
    var zip64End: Int { Int(read(bytes, at: locator + 8, width: 8)) }
    /// Local headers precede the central directory, so a name's first
    /// occurrence is in its local header and its last in its central header.
    func local(_ name: String) -> Int { occurrences(name).first! - 30 }
    func central(_ name: String) -> Int { occurrences(name).last! - 46 }
    private func occurrences(_ name: String) -> [Int] {
        let n = Array(name.utf8)
        return (0...(bytes.count - n.count)).filter { bytes[$0..<($0 + n.count)].elementsEqual(n) }
    }
}

struct DamagedArchive: CustomTestStringConvertible, Sendable {
    let name: String
    let damage: @Sendable (inout [UInt8]) -> Void
    let expected: @Sendable (TorchZipError) -> Bool
    var testDescription: String { name }
}

private let damaged: [DamagedArchive] = [
    DamagedArchive(name: "truncated to 10 bytes", damage: { $0.removeLast($0.count - 10) }) {
        if case .fileTooSmall(_, 10) = $0 { true } else { false }
    },
    DamagedArchive(name: "truncated to half", damage: { $0.removeLast($0.count / 2) }) {
        if case .noEndOfCentralDirectory = $0 { true } else { false }
    },
    DamagedArchive(name: "last byte cut", damage: { $0.removeLast() }) {
        if case .noEndOfCentralDirectory = $0 { true } else { false }
    },
    DamagedArchive(name: "trailing byte", damage: { $0.append(0) }) {
        if case .noEndOfCentralDirectory = $0 { true } else { false }
    },
    DamagedArchive(name: "end record signature erased", damage: { $0[$0.count - 22] = 0 }) {
        if case .noEndOfCentralDirectory = $0 { true } else { false }
    },
    DamagedArchive(name: "ZIP64 locator points at a local header", damage: {
        put(0, width: 8, at: Layout(bytes: $0).locator + 8, in: &$0)
    }) {
        if case .badSignature(_, "ZIP64 end of central directory", 0, 0x0403_4B50, 0x0606_4B50) = $0 { true } else { false }
    },
    DamagedArchive(name: "central directory offset out of bounds", damage: {
        put(0xFFFF_FFFF_0000, width: 8, at: Layout(bytes: $0).zip64End + 48, in: &$0)
    }) {
        if case .centralDirectoryOutOfBounds(_, 0xFFFF_FFFF_0000, _, _) = $0 { true } else { false }
    },
    DamagedArchive(name: "2^40 entries declared", damage: {
        put(1 << 40, width: 8, at: Layout(bytes: $0).zip64End + 32, in: &$0)
    }) {
        if case .entryCountMismatch(_, 1 << 40, _) = $0 { true } else { false }
    },
    DamagedArchive(name: "local header name differs", damage: {
        let at = Layout(bytes: $0).local("state_dict/data/0")
        $0[at + 30 + "state_dict/data/".utf8.count] = UInt8(ascii: "X")
    }) {
        if case .localNameMismatch(_, "state_dict/data/0", "state_dict/data/X") = $0 { true } else { false }
    },
    DamagedArchive(name: "entry claims 4 GiB", damage: {
        let at = Layout(bytes: $0).central("state_dict/data/0")
        put(0xFFFF_FFF0, width: 4, at: at + 20, in: &$0)
        put(0xFFFF_FFF0, width: 4, at: at + 24, in: &$0)
    }) {
        if case .entryOutOfBounds(_, "state_dict/data/0", _, 0xFFFF_FFF0, _) = $0 { true } else { false }
    },
    DamagedArchive(name: "saturated offset without a ZIP64 field", damage: {
        // A ZIP64 extra field cannot be added in place, so saturate the offset
        // instead: with no extra field the reader must refuse, not guess.
        put(0xFFFF_FFFF, width: 4, at: Layout(bytes: $0).central("state_dict/data/0") + 42, in: &$0)
    }) {
        if case .missingZip64Field(_, "state_dict/data/0", "local header offset") = $0 { true } else { false }
    },
    DamagedArchive(name: "compressed entry", damage: {
        put(8, width: 2, at: Layout(bytes: $0).central("state_dict/data/0") + 10, in: &$0)
    }) {
        if case .compressed(_, "state_dict/data/0", 8) = $0 { true } else { false }
    },
    DamagedArchive(name: "compressed in the local header only", damage: {
        put(8, width: 2, at: Layout(bytes: $0).local("state_dict/data/1") + 8, in: &$0)
    }) {
        if case .compressed(_, "state_dict/data/1", 8) = $0 { true } else { false }
    },
    DamagedArchive(name: "local header offset past the data", damage: {
        put(0xFFFF_FFF0, width: 4, at: Layout(bytes: $0).central("state_dict/data/0") + 42, in: &$0)
    }) {
        if case .truncatedRecord(_, "local header of \"state_dict/data/0\"", 0xFFFF_FFF0, 30, _) = $0 { true } else { false }
    },
    DamagedArchive(name: "no data.pkl", damage: {
        let l = Layout(bytes: $0)
        for at in [l.local("state_dict/data.pkl") + 30, l.central("state_dict/data.pkl") + 46] {
            $0[at + "state_dict/data.pk".utf8.count] = UInt8(ascii: "X")
        }
    }) {
        if case .noDataPickle = $0 { true } else { false }
    },
    DamagedArchive(name: "two entries named data/0", damage: {
        let l = Layout(bytes: $0)
        for at in [l.local("state_dict/data/1") + 30, l.central("state_dict/data/1") + 46] {
            $0[at + "state_dict/data/".utf8.count] = UInt8(ascii: "0")
        }
    }) {
        if case .duplicateEntry(_, "state_dict/data/0") = $0 { true } else { false }
    },
]

@Test("a damaged archive ends in its typed error", arguments: damaged)
func damagedArchiveIsRefused(_ c: DamagedArchive) throws {
    var bytes = Array(try Data(contentsOf: pthDirectory.appendingPathComponent("state_dict.pt")))
    c.damage(&bytes)
    try withTemporaryDirectory { dir in
        do {
            let archive = try openBytes(bytes, in: dir)
            Issue.record("\(c.name) opened with entries \(archive.entryNames)")
        } catch let error as TorchZipError {
            #expect(c.expected(error), "\(c.name): \(error)")
            #expect(error.description.hasPrefix(dir.path), "the message names the file: \(error)")
        }
    }
}

@Test func archiveWithoutZip64EndRecordsOpens() throws {
    // Zip writers other than torch's emit only the classic end record when
    // nothing needs 64 bits; its fields are exact in state_dict.pt.
    let bytes = Array(try Data(contentsOf: pthDirectory.appendingPathComponent("state_dict.pt")))
    let layout = Layout(bytes: bytes)
    let classic = Array(bytes[..<layout.zip64End]) + Array(bytes[layout.end...])
    try withTemporaryDirectory { dir in
        let archive = try openBytes(classic, in: dir)
        #expect(archive.root == "state_dict")
        #expect(archive.entryNames == (try open("state_dict.pt")).entryNames)
    }
}

@Test func everyTruncationOfAnArchiveIsRefused() throws {
    let bytes = Array(try Data(contentsOf: pthDirectory.appendingPathComponent("proto4.pt")))
    var refused = 0
    try withTemporaryDirectory { dir in
        for cut in 0..<bytes.count where (try? openBytes(Array(bytes[..<cut]), in: dir)) == nil { refused += 1 }
    }
    #expect(refused == bytes.count)
}
