// Printing, following torch/_tensor_str.py: one width for all elements,
// integer mode ("1.") when every finite value is whole, scientific notation
// for wide ranges, and "..." summaries beyond 1000 elements.

import Foundation

/// Print options, as `torch.set_printoptions`.
public struct PrintOptions: Sendable {
    public var precision = 4
    public var threshold = 1000
    public var edgeItems = 3
    public var lineWidth = 80
    public init() {}
}

private struct ElementFormatter {
    let dtype: DType
    var intMode = true
    var sciMode = false
    var width = 1
    let precision: Int

    init(values: [Double], dtype: DType, options: PrintOptions) {
        self.dtype = dtype
        precision = options.precision
        if !dtype.isFloatingPoint {
            width = values.map { render($0).count }.max() ?? 1
            return
        }
        // Only nonzero finite values decide the mode and width, as in PyTorch.
        let finite = values.filter { $0.isFinite && $0 != 0 }
        guard !finite.isEmpty else { return }
        let magnitudes = finite.map { Swift.abs($0) }
        let lo = magnitudes.min()!, hi = magnitudes.max()!
        intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
        sciMode = hi / lo > 1000 || hi > 1e8 || (!intMode && lo < 1e-4)
        width = finite.map { render($0).count }.max()!
    }

    func render(_ v: Double) -> String {
        if dtype == .bool { return v != 0 ? "True" : "False" }
        if !dtype.isFloatingPoint { return String(Int64(v)) }
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if sciMode { return String(format: "%.\(precision)e", v) }
        if intMode { return String(format: "%.0f", v) + "." }
        return String(format: "%.\(precision)f", v)
    }

    func format(_ v: Double) -> String {
        let s = render(v)
        return String(repeating: " ", count: Swift.max(0, width - s.count)) + s
    }
}

extension Tensor: CustomStringConvertible {
    /// The tensor as PyTorch prints it, e.g. `tensor([1.0000, 2.5000])`.
    public var description: String { formatted(options: PrintOptions()) }

    /// The printed form under `options`.
    public func formatted(options: PrintOptions) -> String {
        // Empty tensors show any dtype but float32: no element reveals it.
        let defaultType = dtype == .float32 || (count > 0 && (dtype == .int64 || dtype == .bool))
        var suffixes: [String] = []
        let body: String
        if count == 0 {
            body = "[]"
            if shape != [0] { suffixes.append("size=(\(shape.map(String.init).joined(separator: ", "))\(shape.count == 1 ? "," : ""))") }
        } else {
            let summarize = count > options.threshold
            let values = summarize ? summarizedValues(options.edgeItems) : scalars(as: Double.self)
            let formatter = ElementFormatter(values: values, dtype: dtype, options: options)
            body = render(self, formatter, indent: 7, summarize: summarize, options: options)
        }
        if !defaultType { suffixes.append("dtype=\(dtype)") }
        return "tensor(" + ([body] + suffixes).joined(separator: ", ") + ")"
    }

    /// The elements that a summarized print shows.
    private func summarizedValues(_ edge: Int) -> [Double] {
        if rank == 0 { return scalars(as: Double.self) }
        if rank == 1 {
            if shape[0] > 2 * edge {
                return narrow(dim: 0, start: 0, length: edge).scalars(as: Double.self)
                    + narrow(dim: 0, start: shape[0] - edge, length: edge).scalars(as: Double.self)
            }
            return scalars(as: Double.self)
        }
        let n = shape[0]
        let rows = n > 2 * edge ? Array(0..<edge) + Array((n - edge)..<n) : Array(0..<n)
        return rows.flatMap { self[$0].summarizedValues(edge) }
    }

    private func render(_ t: Tensor, _ f: ElementFormatter, indent: Int, summarize: Bool, options: PrintOptions) -> String {
        let edge = options.edgeItems
        if t.rank == 0 { return f.format(t.item()) }
        if t.rank == 1 {
            let n = t.shape[0]
            let perLine = Swift.max(1, (options.lineWidth - indent) / (f.width + 2))
            var items: [String]
            if summarize && n > 2 * edge {
                items = t.narrow(dim: 0, start: 0, length: edge).scalars(as: Double.self).map(f.format)
                items.append(" ...")
                items += t.narrow(dim: 0, start: n - edge, length: edge).scalars(as: Double.self).map(f.format)
            } else {
                items = t.scalars(as: Double.self).map(f.format)
            }
            var lines: [String] = []
            var i = 0
            while i < items.count {
                lines.append(items[i..<Swift.min(items.count, i + perLine)].joined(separator: ", "))
                i += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let n = t.shape[0]
        var slices: [String]
        if summarize && n > 2 * edge {
            slices = (0..<edge).map { render(t[$0], f, indent: indent + 1, summarize: summarize, options: options) }
            slices.append("...")
            slices += ((n - edge)..<n).map { render(t[$0], f, indent: indent + 1, summarize: summarize, options: options) }
        } else {
            slices = (0..<n).map { render(t[$0], f, indent: indent + 1, summarize: summarize, options: options) }
        }
        let separator = "," + String(repeating: "\n", count: t.rank - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }
}
