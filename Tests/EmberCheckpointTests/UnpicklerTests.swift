// The restricted unpickler on pickles torch wrote (Tests/Fixtures/checkpoint/
// pth, made by Tests/Fixtures/Scripts/gen_pth.py), read as legacy streams of
// consecutive pickles, and on hand-made hostile pickles: every one of those
// ends in its specific error, never a crash, a hang or a large allocation.

import EmberCheckpoint
import EmberTestSupport
import Foundation
import Testing

private let pthDirectory = FixtureLoader.directory.appendingPathComponent("checkpoint/pth")
nonisolated(unsafe) private let expectedFiles = FixtureLoader.json("checkpoint/pth/expected.json")["files"] as! [String: [String: Any]]

/// The five pickles at the start of a legacy file: magic number, protocol,
/// sys_info, the object, the storage keys.
private func legacyPickles(_ name: String) throws -> (values: [PickleValue], end: Int, size: Int) {
    let bytes = Array(try Data(contentsOf: pthDirectory.appendingPathComponent(name)))
    var values: [PickleValue] = []
    var offset = 0
    for _ in 0..<5 {
        var reader = Unpickler(bytes, source: name, startingAt: offset)
        values.append(try reader.load())
        offset = reader.offset
    }
    return (values, offset, bytes.count)
}

@Test("legacy torch files unpickle to the objects torch saved",
      arguments: ["state_dict_legacy.pt", "checkpoint_legacy.pth.tar", "views_legacy.pt", "dtypes_legacy.pt", "many_keys_legacy.pt"])
func legacyFileUnpickles(_ name: String) throws {
    let (values, end, size) = try legacyPickles(name)
    // The magic number 0x1950a86a20f9469cfc6c, the protocol version and sys_info.
    #expect(values[0] == .bigInt([0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]))
    #expect(values[1] == .int(1001))
    guard case .dict(items: let info, ordered: false, attributes: _) = values[2] else { Issue.record("sys_info is \(values[2])"); return }
    #expect(info.contains(PickleItem(key: .string("little_endian"), value: .bool(true))))
    let original = expectedFiles[name]!["same_object_as"] as! String
    expectMatches(values[3], expectedFiles[original]!["object"] as! [String: Any], name)
    guard case .list(let keys) = values[4] else { Issue.record("storage keys are \(values[4])"); return }
    #expect(!keys.isEmpty && end < size, "the storages follow the key list")
}

@Test func storagesSharedByViewsKeepOneKey() throws {
    let (values, _, _) = try legacyPickles("views_legacy.pt")
    guard case .dict(items: let items, ordered: true, attributes: _) = values[3] else { Issue.record("not an OrderedDict"); return }
    func storageKey(_ v: PickleValue) -> PickleValue? {
        guard case .reduce(callable: _, arguments: let args) = v, case .persistent(.tuple(let pid)) = args[0], pid.count == 6 else { return nil }
        return pid[2]
    }
    let keys = items.map { storageKey($0.value) }
    // base, transposed, row, columns, expanded and strided view one storage; "separate" has its own.
    #expect(Set(keys.dropLast().compactMap { $0.map { "\($0)" } }).count == 1)
    #expect(keys.last! != keys.first!)
}

@Test func osSystemIsRefusedByName() throws {
    let error = #expect(throws: PickleError.self) { _ = try legacyPickles("os_system_legacy.pt") }
    guard case .forbiddenGlobal(_, _, let module, let name) = error else { Issue.record("\(String(describing: error))"); return }
    #expect(expectedFiles["os_system_legacy.pt"]!["refused_global"] as! String == "\(module).\(name)")
}

// MARK: Hand-made pickles

private func load(_ bytes: [UInt8]) throws -> PickleValue {
    var reader = Unpickler(bytes, source: "test")
    return try reader.load()
}

private func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

@Test func protocolFourOpcodes() throws {
    // FRAME, SHORT_BINUNICODE, MEMOIZE, BINGET, STACK_GLOBAL, EMPTY_DICT, SETITEM.
    let bytes: [UInt8] = [0x80, 0x04, 0x95] + [UInt8](repeating: 0, count: 8)
        + [0x7D, 0x94, 0x8C, 0x01] + ascii("k") + [0x94, 0x8C, 0x0B] + ascii("collections") + [0x8C, 0x0B] + ascii("OrderedDict")
        + [0x93, 0x29, 0x52, 0x73, 0x2E]
    #expect(try load(bytes) == .dict(items: [PickleItem(key: .string("k"), value: .dict(items: [], ordered: true, attributes: []))],
                                      ordered: false, attributes: []))
}

@Test func numbersDecodeAsPythonWritesThem() throws {
    // BINFLOAT is big-endian; BININT signed; LONG1 two's complement; a 9-byte LONG1 stays raw.
    let bytes: [UInt8] = [0x80, 0x02, 0x28, 0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x4A, 0xFE, 0xFF, 0xFF, 0xFF,
                          0x8A, 0x02, 0x00, 0x80, 0x8A, 0x09, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x74, 0x2E]
    #expect(try load(bytes) == .tuple([.float(1.5), .int(-2), .int(-32768), .bigInt([1, 0, 0, 0, 0, 0, 0, 0, 1])]))
}

@Test func bytesThroughCodecsEncode() throws {
    let bytes: [UInt8] = [0x80, 0x02, 0x63] + ascii("_codecs\nencode\n") + [0x58, 2, 0, 0, 0, 0xC3, 0xBF, 0x58, 6, 0, 0, 0]
        + ascii("latin1") + [0x86, 0x52, 0x2E]
    #expect(try load(bytes) == .bytes([0xFF]))
}

struct HostilePickle: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let expected: @Sendable (PickleError) -> Bool
    var testDescription: String { name }
}

private let hostile: [HostilePickle] = [
    HostilePickle(name: "os.system via GLOBAL", bytes: [0x80, 0x02, 0x63] + Array("os\nsystem\n".utf8) + [0x2E]) {
        if case .forbiddenGlobal(_, 2, "os", "system") = $0 { true } else { false }
    },
    HostilePickle(name: "builtins.eval via STACK_GLOBAL", bytes: [0x80, 0x04, 0x8C, 0x08] + Array("builtins".utf8) + [0x8C, 0x04] + Array("eval".utf8) + [0x93, 0x2E]) {
        if case .forbiddenGlobal(_, _, "builtins", "eval") = $0 { true } else { false }
    },
    HostilePickle(name: "INST", bytes: [0x80, 0x02, 0x28, 0x69] + Array("os\nsystem\n".utf8) + [0x2E]) {
        if case .unsupportedOpcode(_, 3, 0x69) = $0 { true } else { false }
    },
    HostilePickle(name: "truncated string", bytes: [0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x61]) {
        if case .truncated(_, 2) = $0 { true } else { false }
    },
    HostilePickle(name: "huge BINUNICODE8 length", bytes: [0x80, 0x04, 0x8D] + [UInt8](repeating: 0xFF, count: 8) + [0x2E]) {
        if case .truncated = $0 { true } else { false }
    },
    HostilePickle(name: "no STOP", bytes: [0x80, 0x02, 0x4E]) { if case .truncated = $0 { true } else { false } },
    HostilePickle(name: "memo never stored", bytes: [0x80, 0x02, 0x6A, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E]) {
        if case .malformed(_, 2, _) = $0 { true } else { false }
    },
    HostilePickle(name: "pop from empty stack", bytes: [0x80, 0x02, 0x61, 0x2E]) { if case .malformed = $0 { true } else { false } },
    HostilePickle(name: "list containing itself", bytes: [0x80, 0x02, 0x5D, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2E]) {
        if case .limitExceeded = $0 { true } else { false }
    },
    HostilePickle(name: "100,000 nested lists", bytes: [0x80, 0x02] + [UInt8](repeating: 0x5D, count: 100_000)
                  + [UInt8](repeating: 0x61, count: 99_999) + [0x2E]) {
        if case .limitExceeded = $0 { true } else { false }
    },
    HostilePickle(name: "100,000 MARKs", bytes: [0x80, 0x02] + [UInt8](repeating: 0x28, count: 100_000)) {
        if case .limitExceeded = $0 { true } else { false }
    },
    HostilePickle(name: "BUILD on a list", bytes: [0x80, 0x02, 0x5D, 0x7D, 0x62, 0x2E]) { if case .malformed = $0 { true } else { false } },
    HostilePickle(name: "REDUCE of a string", bytes: [0x80, 0x02, 0x58, 1, 0, 0, 0, 0x41, 0x29, 0x52, 0x2E]) {
        if case .malformed = $0 { true } else { false }
    },
]

@Test("hostile pickle ends in its typed error", arguments: hostile)
func hostilePickleIsRefused(_ c: HostilePickle) {
    do {
        let value = try load(c.bytes)
        Issue.record("\(c.name) loaded as \(value)")
    } catch let error as PickleError {
        #expect(c.expected(error), "\(c.name): \(error)")
    } catch {
        Issue.record("\(c.name): unexpected \(error)")
    }
}

@Test func everyTruncationAndByteFlipOfARealPickleEndsInAnError() throws {
    // Each prefix of a real checkpoint pickle, and single-byte mutations of it,
    // must load or throw: the process surviving is the assertion that matters.
    let bytes = Array(try Data(contentsOf: pthDirectory.appendingPathComponent("checkpoint_legacy.pth.tar")))
    var reader = Unpickler(bytes, source: "full")
    for _ in 0..<3 { _ = try reader.load() }
    let start = reader.offset
    _ = try reader.load()
    let object = Array(bytes[start..<reader.offset])
    var refused = 0
    for cut in 0..<object.count {
        var r = Unpickler(Array(object[..<cut]), source: "prefix")
        if (try? r.load()) == nil { refused += 1 }
    }
    #expect(refused == object.count, "every strict prefix is incomplete")
    // A fixed xorshift stream, so the same mutations run every time.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Int(truncatingIfNeeded: state >> 1)
    }
    for _ in 0..<5_000 {
        var mutated = object
        mutated[next() % mutated.count] = UInt8(truncatingIfNeeded: next())
        var r = Unpickler(mutated, source: "mutated")
        _ = try? r.load()
    }
}
