// Renaming checkpoint keys so they match a module's: the DataParallel
// `module.` prefix, torchvision's legacy DenseNet names (`norm.1` for
// `norm1`), or any explicit table.

import EmberCore
import Foundation

/// Why keys could not be renamed.
public enum StateDictKeyError: Error, Equatable, CustomStringConvertible {
    /// The pattern is not a valid regular expression.
    case invalidPattern(String)
    /// Two keys would get the same name.
    case collision(first: String, second: String, renamed: String)

    public var description: String {
        switch self {
        case .invalidPattern(let pattern): "state dict: '\(pattern)' is not a valid regular expression"
        case .collision(let first, let second, let renamed): "state dict: keys '\(first)' and '\(second)' would both be renamed '\(renamed)'"
        }
    }
}

extension StateDict {
    /// The same tensors with `prefix` removed from the keys that start with it.
    ///
    /// ```swift
    /// let plain = try checkpoint.strippingPrefix("module.")   // module.features.conv0.weight → features.conv0.weight
    /// ```
    public func strippingPrefix(_ prefix: String) throws(StateDictKeyError) -> StateDict {
        try renamed { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
    }

    /// The same tensors with every key that matches `pattern` (an ICU regular
    /// expression, matched against the whole key) rewritten by `template`,
    /// where `$1`, `$2`... are the pattern's groups.
    ///
    /// ```swift
    /// // torchvision's legacy DenseNet names: denselayer1.norm.1.weight → denselayer1.norm1.weight
    /// let fixed = try sd.renamingKeys(matching: #"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"#,
    ///                                 with: "$1$2")
    /// ```
    public func renamingKeys(matching pattern: String, with template: String) throws(StateDictKeyError) -> StateDict {
        let regex: NSRegularExpression
        do { regex = try NSRegularExpression(pattern: pattern) } catch { throw .invalidPattern(pattern) }
        return try renamed { key in
            let range = NSRange(key.startIndex..., in: key)
            guard let match = regex.firstMatch(in: key, range: range), match.range == range else { return key }
            return regex.replacementString(for: match, in: key, offset: 0, template: template)
        }
    }

    /// The same tensors with keys renamed through `table`; keys it doesn't name are kept.
    ///
    /// ```swift
    /// let mapped = try sd.renamingKeys(["fc.weight": "classifier.weight", "fc.bias": "classifier.bias"])
    /// ```
    public func renamingKeys(_ table: [String: String]) throws(StateDictKeyError) -> StateDict {
        try renamed { table[$0] ?? $0 }
    }

    /// Renames every key in order, refusing two keys that end up with one name.
    private func renamed(_ rename: (String) -> String) throws(StateDictKeyError) -> StateDict {
        var out = StateDict()
        var origin: [String: String] = [:]
        for (key, tensor) in self {
            let newKey = rename(key)
            if let earlier = origin[newKey] { throw .collision(first: earlier, second: key, renamed: newKey) }
            origin[newKey] = key
            out[newKey] = tensor
        }
        return out
    }
}
