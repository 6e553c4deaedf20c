// A restricted unpickler, like `torch.load(weights_only=True)`: a stack
// machine over the opcodes real checkpoints use (protocol 2, plus the
// protocol-4 framing some libraries write). Globals resolve only through an
// allow-list and are never imported or called; lengths, memo indices and
// nesting are checked against the bytes actually present.

/// Reads one pickle from bytes without executing anything.
///
/// ```swift
/// var reader = Unpickler(Array(data), source: "sd.pt/data.pkl")
/// let tree = try reader.load()      // .dict(...), .reduce(...), ...
/// ```
public struct Unpickler {
    /// The globals a torch checkpoint may name: containers, tensor and
    /// parameter rebuilders, storage classes and dtypes.
    public static func isTorchGlobal(module: String, name: String) -> Bool {
        switch module {
        case "collections": return name == "OrderedDict"
        case "torch._utils":
            return ["_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_parameter",
                    "_rebuild_parameter_with_state"].contains(name)
        case "torch", "torch.cuda":
            return name.hasSuffix("Storage") || torchDTypeNames.contains(name)
        case "torch.storage": return name == "UntypedStorage" || name == "TypedStorage"
        case "_codecs": return name == "encode"
        default: return false
        }
    }

    static let torchDTypeNames: Set<String> = [
        "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
        "uint16", "uint32", "uint64", "complex64", "complex128",
    ]

    /// Modules refused even when an allow-list names them, as PyTorch does.
    static let blockedModules: Set<String> = ["sys", "os", "posix", "nt", "builtins", "subprocess"]

    /// The deepest container nesting accepted (guards the stack and recursion).
    public static let maxDepth = 512
    /// The frozen tree holds at most this many values per pickle byte (and
    /// at least 64Ki, at most 16Mi): through the memo a 2-byte BINGET repeats
    /// a whole subtree, so a 206-byte pickle of pairs of pairs would freeze
    /// into 2⁴¹ values. Real checkpoints repeat only small subtrees.
    public static let maxValuesPerByte = 256

    let bytes: [UInt8]
    let source: String
    let isAllowed: (String, String) -> Bool
    var position = 0

    /// - Parameters:
    ///   - source: names the file and record in errors.
    ///   - allowGlobal: which `module.name` globals may appear; anything else is refused by name.
    public init(_ bytes: [UInt8], source: String, startingAt position: Int = 0,
                allowGlobal: @escaping (String, String) -> Bool = Unpickler.isTorchGlobal) {
        self.bytes = bytes
        self.source = source
        self.position = position
        self.isAllowed = allowGlobal
    }

    /// Where the next pickle starts after `load()` (legacy files hold several in a row).
    public var offset: Int { position }

    // MARK: Reading bytes

    private func fail(_ reason: String, at offset: Int) -> PickleError {
        .malformed(source: source, offset: offset, reason: reason)
    }

    private mutating func take(_ n: Int, at opcodeOffset: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - position else { throw PickleError.truncated(source: source, offset: opcodeOffset) }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    private mutating func unsigned(_ n: Int, at offset: Int) throws -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(n, at: offset).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    private mutating func line(at offset: Int) throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw PickleError.truncated(source: source, offset: offset) }
        defer { position = end + 1 }
        guard let s = String(validating: bytes[position..<end], as: UTF8.self) else {
            throw fail("a GLOBAL name is not UTF-8", at: offset)
        }
        return s
    }

    private mutating func text(_ n: Int, at offset: Int) throws -> String {
        guard let s = String(validating: try take(n, at: offset), as: UTF8.self) else {
            throw fail("a string of \(n) bytes is not valid UTF-8", at: offset)
        }
        return s
    }

    // MARK: The machine

    /// Runs the pickle to its STOP and returns the object it built.
    public mutating func load() throws -> PickleValue {
        let start = position
        var stack: [PickleObject] = []
        var marks: [Int] = []
        var memo: [UInt64: PickleObject] = [:]
        // Every container built, emptied when loading ends: the frozen result no
        // longer needs them, and emptying them first means a hostile pickle's
        // self-containing list is not leaked and a deep chain is not freed by
        // recursion deep enough to overflow the thread's stack.
        var containers: [PickleObject] = []
        defer {
            for object in containers {
                object.items = []
                object.pairs = []
                object.attributes = []
            }
        }

        func pop(_ at: Int) throws -> PickleObject {
            guard let top = stack.popLast(), marks.last.map({ stack.count >= $0 }) ?? true else {
                throw fail("pop from an empty stack", at: at)
            }
            return top
        }
        func popToMark(_ at: Int) throws -> [PickleObject] {
            guard let mark = marks.popLast(), mark <= stack.count else { throw fail("no MARK to pop to", at: at) }
            defer { stack.removeSubrange(mark...) }
            return Array(stack[mark...])
        }
        func push(_ object: PickleObject, _ at: Int) throws {
            guard stack.count < 1 << 24 else { throw PickleError.limitExceeded(source: source, offset: at, reason: "more than 16M objects on the stack") }
            if case .value = object.kind {} else { containers.append(object) }
            stack.append(object)
        }

        while true {
            let at = position
            let opcode = try take(1, at: at)[at]
            switch opcode {
            case 0x80: _ = try take(1, at: at)                                    // PROTO
            case 0x95: _ = try take(8, at: at)                                    // FRAME: a length hint only
            case 0x2E:                                                             // STOP
                guard stack.count == 1, marks.isEmpty else { throw fail("STOP with \(stack.count) objects on the stack", at: at) }
                var budget = Swift.min(1 << 24, Swift.max(1 << 16, Self.maxValuesPerByte * (position - start)))
                return try stack[0].value(depth: 0, budget: &budget, source: source, offset: at)
            case 0x4E: try push(.init(.none), at)                                  // NONE
            case 0x88: try push(.init(.bool(true)), at)                            // NEWTRUE
            case 0x89: try push(.init(.bool(false)), at)                           // NEWFALSE
            case 0x4B: try push(.init(.int(Int64(try unsigned(1, at: at)))), at)   // BININT1
            case 0x4D: try push(.init(.int(Int64(try unsigned(2, at: at)))), at)   // BININT2
            case 0x4A: try push(.init(.int(Int64(Int32(truncatingIfNeeded: try unsigned(4, at: at))))), at)  // BININT
            case 0x8A, 0x8B:                                                       // LONG1, LONG4
                let n = Int(try unsigned(opcode == 0x8A ? 1 : 4, at: at))
                try push(.init(Self.integer(Array(try take(n, at: at)))), at)
            case 0x47:                                                             // BINFLOAT, big-endian
                var bits: UInt64 = 0
                for b in try take(8, at: at) { bits = bits << 8 | UInt64(b) }
                try push(.init(.float(Double(bitPattern: bits))), at)
            case 0x58, 0x8C, 0x8D:                                                 // BINUNICODE, SHORT_, 8
                let n = try unsigned(opcode == 0x8C ? 1 : opcode == 0x58 ? 4 : 8, at: at)
                guard n <= UInt64(bytes.count - position) else { throw PickleError.truncated(source: source, offset: at) }
                try push(.init(.string(try text(Int(n), at: at))), at)
            case 0x55, 0x54:                                                       // SHORT_BINSTRING, BINSTRING (py2 str)
                let n = opcode == 0x55 ? Int(try unsigned(1, at: at)) : Int(Int32(truncatingIfNeeded: try unsigned(4, at: at)))
                let raw = try take(n, at: at)
                try push(.init(String(validating: raw, as: UTF8.self).map(PickleValue.string) ?? .bytes(Array(raw))), at)
            case 0x43, 0x42, 0x8E:                                                 // SHORT_BINBYTES, BINBYTES, BINBYTES8
                let n = try unsigned(opcode == 0x43 ? 1 : opcode == 0x42 ? 4 : 8, at: at)
                guard n <= UInt64(bytes.count - position) else { throw PickleError.truncated(source: source, offset: at) }
                try push(.init(.bytes(Array(try take(Int(n), at: at)))), at)
            case 0x29: try push(PickleObject(tuple: []), at)                       // EMPTY_TUPLE
            case 0x85, 0x86, 0x87:                                                 // TUPLE1/2/3
                let n = Int(opcode - 0x84)
                guard stack.count - (marks.last ?? 0) >= n else { throw fail("TUPLE\(n) needs \(n) objects", at: at) }
                let items = Array(stack.suffix(n))
                stack.removeLast(n)
                try push(PickleObject(tuple: items), at)
            case 0x74: try push(PickleObject(tuple: try popToMark(at)), at)        // TUPLE
            case 0x5D: try push(PickleObject(list: []), at)                        // EMPTY_LIST
            case 0x7D: try push(PickleObject(dict: [], ordered: false), at)        // EMPTY_DICT
            case 0x28:                                                             // MARK
                guard marks.count < Self.maxDepth else {
                    throw PickleError.limitExceeded(source: source, offset: at, reason: "more than \(Self.maxDepth) nested MARKs")
                }
                marks.append(stack.count)
            case 0x61:                                                             // APPEND
                let item = try pop(at)
                guard let list = stack.last, list.isList else { throw fail("APPEND onto a non-list", at: at) }
                list.items.append(item)
            case 0x65:                                                             // APPENDS
                let items = try popToMark(at)
                guard let list = stack.last, list.isList else { throw fail("APPENDS onto a non-list", at: at) }
                list.items.append(contentsOf: items)
            case 0x73:                                                             // SETITEM
                let value = try pop(at), key = try pop(at)
                guard let dict = stack.last, dict.isDict else { throw fail("SETITEM on a non-dict", at: at) }
                dict.pairs.append((key, value))
            case 0x75:                                                             // SETITEMS
                let items = try popToMark(at)
                guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd count \(items.count)", at: at) }
                guard let dict = stack.last, dict.isDict else { throw fail("SETITEMS on a non-dict", at: at) }
                for i in stride(from: 0, to: items.count, by: 2) { dict.pairs.append((items[i], items[i + 1])) }
            case 0x71, 0x72, 0x94:                                                 // BINPUT, LONG_BINPUT, MEMOIZE
                let index = opcode == 0x94 ? UInt64(memo.count) : try unsigned(opcode == 0x71 ? 1 : 4, at: at)
                guard let top = stack.last, stack.count > (marks.last ?? 0) || marks.isEmpty else { throw fail("memoizing an empty stack", at: at) }
                memo[index] = top
            case 0x68, 0x6A:                                                       // BINGET, LONG_BINGET
                let index = try unsigned(opcode == 0x68 ? 1 : 4, at: at)
                guard let object = memo[index] else { throw fail("memo index \(index) was never stored", at: at) }
                try push(object, at)
            case 0x63:                                                             // GLOBAL
                let module = try line(at: at), name = try line(at: at)
                try push(.init(try resolve(module, name, at: at)), at)
            case 0x93:                                                             // STACK_GLOBAL
                let nameObject = try pop(at), moduleObject = try pop(at)
                guard case .value(.string(let name)) = nameObject.kind, case .value(.string(let module)) = moduleObject.kind else {
                    throw fail("STACK_GLOBAL needs two strings", at: at)
                }
                try push(.init(try resolve(module, name, at: at)), at)
            case 0x51:                                                             // BINPERSID
                try push(PickleObject(persistent: try pop(at)), at)
            case 0x52:                                                             // REDUCE
                let arguments = try pop(at), callable = try pop(at)
                try push(try reduce(callable, arguments, at: at), at)
            case 0x62:                                                             // BUILD
                let state = try pop(at)
                guard let target = stack.last, target.isOrderedDict, state.isDict else {
                    throw fail("BUILD is only applied to an OrderedDict, with a dict of attributes", at: at)
                }
                target.attributes.append(contentsOf: state.pairs)
            default:
                throw PickleError.unsupportedOpcode(source: source, offset: at, opcode: opcode)
            }
        }
    }

    private func resolve(_ module: String, _ name: String, at offset: Int) throws -> PickleValue {
        let root = String(module.split(separator: ".").first ?? "")
        guard !Self.blockedModules.contains(root), isAllowed(module, name) else {
            throw PickleError.forbiddenGlobal(source: source, offset: offset, module: module, name: name)
        }
        return .global(module: module, name: name)
    }

    /// OrderedDict() and _codecs.encode(str, "latin1") are evaluated (they are
    /// plain data); every other allowed call stays a `.reduce` node.
    private func reduce(_ callable: PickleObject, _ arguments: PickleObject, at offset: Int) throws -> PickleObject {
        guard case .value(.global(let module, let name)) = callable.kind else {
            throw fail("REDUCE of something that is not an allowed global", at: offset)
        }
        guard case .tuple = arguments.kind else { throw fail("REDUCE arguments are not a tuple", at: offset) }
        let args = arguments.items
        switch (module, name) {
        case ("collections", "OrderedDict"):
            guard args.isEmpty else { throw fail("OrderedDict() with arguments", at: offset) }
            return PickleObject(dict: [], ordered: true)
        case ("_codecs", "encode"):
            guard args.count == 2, case .value(.string(let text)) = args[0].kind else {
                throw fail("_codecs.encode expects (str, encoding)", at: offset)
            }
            // Protocol 2 pickles bytes as latin-1 text: each code point is one byte.
            let scalars = text.unicodeScalars.map(\.value)
            guard scalars.allSatisfy({ $0 < 256 }) else { throw fail("_codecs.encode of non-latin-1 text", at: offset) }
            return PickleObject(.bytes(scalars.map { UInt8($0) }))
        default:
            return PickleObject(reduce: callable, arguments: args)
        }
    }

    /// LONG1/LONG4 payloads: Int64 when they fit, else the raw bytes.
    static func integer(_ le: [UInt8]) -> PickleValue {
        if le.isEmpty { return .int(0) }
        if le.count > 8 { return .bigInt(le) }
        var v: UInt64 = 0
        for (i, b) in le.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        let shift = UInt64(64 - 8 * le.count)
        // Sign-extend from the top byte.
        return .int(shift == 64 ? 0 : Int64(bitPattern: v << shift) >> Int64(shift))
    }
}

/// A value under construction: lists and dicts stay mutable (APPEND and
/// SETITEM reach them through the memo) until STOP freezes the tree. The
/// containers' contents are stored properties, so appending never copies.
final class PickleObject {
    enum Kind {
        case value(PickleValue)
        case list, tuple, persistent, reduce
        case dict(ordered: Bool)
    }
    let kind: Kind
    /// List or tuple items, a persistent id (one item), or a call's callable then arguments.
    var items: [PickleObject] = []
    var pairs: [(PickleObject, PickleObject)] = []
    var attributes: [(PickleObject, PickleObject)] = []

    init(_ value: PickleValue) { kind = .value(value) }
    init(list: [PickleObject]) { kind = .list; items = list }
    init(tuple: [PickleObject]) { kind = .tuple; items = tuple }
    init(dict: [(PickleObject, PickleObject)], ordered: Bool) { kind = .dict(ordered: ordered); pairs = dict }
    init(persistent id: PickleObject) { kind = .persistent; items = [id] }
    init(reduce callable: PickleObject, arguments: [PickleObject]) { kind = .reduce; items = [callable] + arguments }

    var isList: Bool { if case .list = kind { true } else { false } }
    var isDict: Bool { if case .dict = kind { true } else { false } }
    var isOrderedDict: Bool { if case .dict(true) = kind { true } else { false } }

    /// The frozen tree. Depth-limited, so a list that contains itself (legal
    /// in a pickle, through the memo) is an error rather than endless recursion;
    /// `budget` values at most, so a memo-shared subtree cannot repeat exponentially.
    func value(depth: Int, budget: inout Int, source: String, offset: Int) throws -> PickleValue {
        guard depth < Unpickler.maxDepth else {
            throw PickleError.limitExceeded(source: source, offset: offset, reason: "objects nested deeper than \(Unpickler.maxDepth) (or a cycle)")
        }
        budget -= 1
        guard budget >= 0 else {
            throw PickleError.limitExceeded(source: source, offset: offset, reason: "shared objects repeated into too many values for the pickle's size")
        }
        func child(_ o: PickleObject) throws -> PickleValue { try o.value(depth: depth + 1, budget: &budget, source: source, offset: offset) }
        func frozen(_ pairs: [(PickleObject, PickleObject)]) throws -> [PickleItem] {
            // A repeated key replaces the earlier value in place, as in a Python dict.
            var out: [PickleItem] = []
            var seenStrings: [String: Int] = [:], seenInts: [Int64: Int] = [:]
            for (k, v) in pairs {
                let item = PickleItem(key: try child(k), value: try child(v))
                let earlier: Int?
                switch item.key {
                case .string(let s): earlier = seenStrings[s]; if earlier == nil { seenStrings[s] = out.count }
                case .int(let i): earlier = seenInts[i]; if earlier == nil { seenInts[i] = out.count }
                default: earlier = nil
                }
                if let earlier { out[earlier].value = item.value } else { out.append(item) }
            }
            return out
        }
        switch kind {
        case .value(let v): return v
        case .list: return .list(try items.map(child))
        case .tuple: return .tuple(try items.map(child))
        case .dict(let ordered): return .dict(items: try frozen(pairs), ordered: ordered, attributes: try frozen(attributes))
        case .persistent: return .persistent(try child(items[0]))
        case .reduce: return .reduce(callable: try child(items[0]), arguments: try items.dropFirst().map(child))
        }
    }
}
