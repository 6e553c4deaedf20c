// State dicts from and to checkpoint files: the bridge between the file
// formats (which know nothing of modules) and EmberNN's `StateDict`.

import EmberCore
import EmberNN
import Foundation

/// Why a checkpoint file did not hold a state dict where one was asked for.
public enum StateDictFileError: Error, Equatable, CustomStringConvertible {
    /// The value (at `key`, or the whole file) is not a dict.
    case notADict(path: String, key: String?, found: String)
    /// A state-dict entry that is not a tensor, or a key that is not a string.
    case notATensor(path: String, key: String, found: String)
    /// `key` is not in the checkpoint; `available` lists the keys that are.
    case missingKey(path: String, key: String, available: [String])

    public var description: String {
        switch self {
        case .notADict(let path, let key, let found):
            "\(path): \(key.map { "the value under \"\($0)\"" } ?? "the file") is \(found), not a dict of tensors"
        case .notATensor(let path, let key, let found):
            "\(path): \"\(key)\" holds \(found), not a tensor (is this a training checkpoint? pick its state dict by key, such as \"state_dict\")"
        case .missingKey(let path, let key, let available):
            "\(path): no key \"\(key)\"; the checkpoint has: \(available.joined(separator: ", "))"
        }
    }
}

extension TorchValue {
    /// The state dict as `torch.save(model.state_dict())` pickles it: an
    /// ordered dict of tensors.
    ///
    /// ```swift
    /// try TorchCheckpoint.save(TorchValue(model.stateDict()), to: URL(fileURLWithPath: "model.pth"))
    /// ```
    public init(_ stateDict: StateDict) {
        self = .dict(stateDict.map { (key: TorchValue.string($0.key), value: TorchValue.tensor($0.tensor)) }, ordered: true)
    }

    /// What kind of value this is, for error messages.
    public var kindDescription: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int, .bigInt: "an int"
        case .float: "a float"
        case .string: "a string"
        case .bytes: "bytes"
        case .list(let items): "a list of \(items.count)"
        case .tuple(let items): "a tuple of \(items.count)"
        case .dict(let items, _): "a dict of \(items.count) keys"
        case .tensor(let t): "a \(t.dtype) tensor of shape \(t.shape)"
        }
    }
}

extension StateDict {
    /// The tensors of a checkpoint dict whose keys are strings, in saved order.
    /// `path` names the file in errors.
    ///
    /// ```swift
    /// let checkpoint = try TorchCheckpoint.load(url)
    /// let sd = try StateDict(checkpoint["state_dict"]!, path: url.path)
    /// ```
    public init(_ value: TorchValue, path: String) throws(StateDictFileError) {
        guard case .dict(let items, _) = value else { throw .notADict(path: path, key: nil, found: value.kindDescription) }
        self.init()
        for item in items {
            guard case .string(let key) = item.key else {
                throw .notATensor(path: path, key: item.key.keyDescription, found: "a non-string key")
            }
            guard case .tensor(let t) = item.value else {
                throw .notATensor(path: path, key: key, found: item.value.kindDescription)
            }
            self[key] = t
        }
    }

    /// Reads a state dict from a `.safetensors` file or a PyTorch checkpoint
    /// (zip or legacy `.pth`, `.pt`, `.bin`, `.pth.tar`), told apart by their
    /// bytes. `key` picks a nested dict, as in `torch.load(f)["state_dict"]`.
    /// Tensors are zero-copy views of the mapped file where the format allows.
    ///
    /// ```swift
    /// let sd = try StateDict(contentsOf: URL(fileURLWithPath: "model.pth.tar"), key: "state_dict")
    ///     .strippingPrefix("module.")
    /// try model.loadStateDict(sd)
    /// ```
    public init(contentsOf url: URL, key: String? = nil) throws {
        if try Self.isSafeTensorsFile(url) {
            if let key { throw StateDictFileError.missingKey(path: url.path, key: key, available: []) }
            self.init()
            for (name, tensor) in try SafeTensors.open(url).tensors() { self[name] = tensor }
            return
        }
        var value = try TorchCheckpoint.load(url)
        if let key {
            guard case .dict(let items, _) = value else {
                throw StateDictFileError.notADict(path: url.path, key: nil, found: value.kindDescription)
            }
            guard let nested = value[key] else {
                throw StateDictFileError.missingKey(path: url.path, key: key, available: items.map(\.key.keyDescription))
            }
            value = nested
            guard case .dict = value else {
                throw StateDictFileError.notADict(path: url.path, key: key, found: value.kindDescription)
            }
        }
        try self.init(value, path: url.path)
    }

    /// Writes the state dict atomically: as safetensors when `url` ends in
    /// `.safetensors`, otherwise in PyTorch's zip format (`torch.save`).
    ///
    /// ```swift
    /// try model.stateDict().save(to: URL(fileURLWithPath: "model.safetensors"))
    /// ```
    public func save(to url: URL, metadata: [String: String]? = nil) throws {
        if url.pathExtension == "safetensors" {
            try SafeTensors.write(map { (name: $0.key, tensor: $0.tensor) }, metadata: metadata, to: url)
        } else {
            try TorchCheckpoint.save(TorchValue(self), to: url)
        }
    }

    /// Whether `url` holds safetensors rather than a PyTorch checkpoint: a
    /// safetensors file starts with its header length, then `{`; a PyTorch
    /// file with `PK` or the pickle protocol byte.
    ///
    /// ```swift
    /// let isSafeTensors = try StateDict.isSafeTensorsFile(URL(fileURLWithPath: "model.bin"))
    /// ```
    public static func isSafeTensorsFile(_ url: URL) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let head = try handle.read(upToCount: 9) ?? Data()
        return head.count == 9 && head[head.startIndex + 8] == UInt8(ascii: "{")
    }
}

extension Module {
    /// Loads parameters and buffers from a checkpoint file: `StateDict(contentsOf:key:)`
    /// followed by `loadStateDict(_:strict:)`.
    ///
    /// ```swift
    /// let model = Linear(4, 2)
    /// try model.loadStateDict(contentsOf: URL(fileURLWithPath: "linear.safetensors"))
    /// ```
    @discardableResult
    public func loadStateDict(contentsOf url: URL, key: String? = nil, strict: Bool = true) throws -> LoadResult {
        try loadStateDict(StateDict(contentsOf: url, key: key), strict: strict)
    }
}
