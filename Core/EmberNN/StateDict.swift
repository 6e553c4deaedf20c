// An ordered map from PyTorch state-dict keys to tensors, and loading one
// into a module with PyTorch's strict checks.

import EmberCore

/// Tensors by key, in insertion order, like PyTorch's `OrderedDict` state dicts.
///
/// ```swift
/// var sd = model.stateDict()
/// sd["fc.bias"] = Tensor.zeros([10])
/// try model.loadStateDict(sd)
/// ```
public struct StateDict: Sequence {
    public private(set) var keys: [String] = []
    private var storage: [String: Tensor] = [:]

    public init() {}

    /// A state dict of `pairs`, in order; a repeated key keeps the last tensor.
    public init(_ pairs: [(String, Tensor)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public subscript(key: String) -> Tensor? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }

    public func makeIterator() -> AnyIterator<(key: String, tensor: Tensor)> {
        var i = 0
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (keys[i], storage[keys[i]]!)
        }
    }
}

/// Why a state dict did not fit a module: every offending key, with shapes.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    public var missingKeys: [String] = []
    public var unexpectedKeys: [String] = []
    /// Key, the module's shape, the checkpoint's shape.
    public var shapeMismatches: [(key: String, expected: [Int], found: [Int])] = []

    public static func == (a: StateDictError, b: StateDictError) -> Bool { a.description == b.description }

    public var description: String {
        var parts: [String] = []
        if !missingKeys.isEmpty { parts.append("missing keys: \(missingKeys.joined(separator: ", "))") }
        if !unexpectedKeys.isEmpty { parts.append("unexpected keys: \(unexpectedKeys.joined(separator: ", "))") }
        for m in shapeMismatches {
            parts.append("size mismatch for \(m.key): copying a param with shape \(m.found) from checkpoint, the shape in current model is \(m.expected)")
        }
        return "Error(s) in loading state dict: " + parts.joined(separator: "; ")
    }
}

/// What a non-strict load skipped.
public struct LoadResult: Sendable, Equatable {
    public var missingKeys: [String]
    public var unexpectedKeys: [String]
}

extension Module {
    /// Copies matching tensors from `stateDict` into this module's parameters
    /// and buffers (converting dtype). Strict loading throws on any missing or
    /// unexpected key; shape mismatches always throw. Nothing is copied unless
    /// every check passes.
    @discardableResult
    public func loadStateDict(_ stateDict: StateDict, strict: Bool = true) throws -> LoadResult {
        let slots = stateSlots()
        var error = StateDictError()
        let slotKeys = Set(slots.map(\.key))
        for (key, tensor) in slots {
            guard let source = stateDict[key] else { error.missingKeys.append(key); continue }
            if source.shape != tensor.shape {
                error.shapeMismatches.append((key, tensor.shape, source.shape))
            }
        }
        error.unexpectedKeys = stateDict.keys.filter { !slotKeys.contains($0) }
        if !error.shapeMismatches.isEmpty || (strict && (!error.missingKeys.isEmpty || !error.unexpectedKeys.isEmpty)) {
            throw error
        }
        GradMode.noGrad {
            for (key, tensor) in slots { if let source = stateDict[key] { tensor.copy_(source) } }
        }
        return LoadResult(missingKeys: error.missingKeys, unexpectedKeys: error.unexpectedKeys)
    }
}
