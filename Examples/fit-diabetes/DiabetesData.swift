// Reading scikit-learn's diabetes regression data: 442 patients, 10 baseline
// features (age, sex, BMI, blood pressure, six blood serum measurements) and
// a disease-progression score a year later. The raw files are whitespace-
// separated numbers, one patient per line, as numpy.loadtxt reads them.

import EmberCore
import Foundation

/// Why the diabetes files or the command line could not be used.
enum DiabetesError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case badRow(path: String, line: Int, expected: Int, found: Int)
    case badValue(path: String, line: Int, field: Int, text: String)
    case rowMismatch(dataPath: String, rows: Int, targetPath: String, targets: Int)
    case tooFewRows(path: String, rows: Int)
    case badOption(name: String, value: String)
    case unexpectedArgument(String)

    var description: String {
        switch self {
        case .unreadable(let p):
            "\(p): cannot read the file (run `make regression` to fetch the diabetes data)"
        case .badRow(let p, let l, let e, let f):
            "\(p):\(l): expected \(e) whitespace-separated \(e == 1 ? "number" : "numbers"), found \(f)"
        case .badValue(let p, let l, let f, let t):
            "\(p):\(l): field \(f) is not a finite number: \"\(t)\""
        case .rowMismatch(let dp, let r, let tp, let t):
            "\(dp) has \(r) rows but \(tp) has \(t); each patient needs one target"
        case .tooFewRows(let p, let r):
            "\(p): \(r) rows are too few to split into training and validation sets (need at least 10)"
        case .badOption(let n, let v):
            "\(n) expects a positive integer, got \"\(v)\""
        case .unexpectedArgument(let a):
            "unexpected argument \"\(a)\" (usage: fit-diabetes [DATA_CSV TARGET_CSV] [--epochs N])"
        }
    }
}

/// Rows of `columns` numbers from a whitespace-separated text file; blank
/// lines are skipped, and line numbers in errors count them.
func readMatrix(_ path: String, columns: Int) throws -> [[Double]] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw DiabetesError.unreadable(path: path) }
    var rows: [[Double]] = []
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        if fields.isEmpty { continue }
        guard fields.count == columns else {
            throw DiabetesError.badRow(path: path, line: i + 1, expected: columns, found: fields.count)
        }
        rows.append(try fields.enumerated().map { f, field in
            guard let v = Double(field), v.isFinite else {
                throw DiabetesError.badValue(path: path, line: i + 1, field: f + 1, text: String(field))
            }
            return v
        })
    }
    return rows
}

/// Features as [N, 10] and targets as [N, 1], both float32.
func loadDiabetes(dataPath: String, targetPath: String) throws -> (features: Tensor, targets: Tensor) {
    let rows = try readMatrix(dataPath, columns: 10)
    let targets = try readMatrix(targetPath, columns: 1)
    guard rows.count == targets.count else {
        throw DiabetesError.rowMismatch(dataPath: dataPath, rows: rows.count, targetPath: targetPath, targets: targets.count)
    }
    guard rows.count >= 10 else { throw DiabetesError.tooFewRows(path: dataPath, rows: rows.count) }
    return (Tensor(rows.flatMap { $0.map { Float($0) } }, shape: [rows.count, 10]),
            Tensor(targets.map { Float($0[0]) }, shape: [targets.count, 1]))
}

/// Per-column mean and standard deviation of the training rows, applied to
/// any split (sklearn's StandardScaler: population std, so `correction: 0`).
struct Standardizer {
    let mean: Tensor
    let std: Tensor

    init(fitting x: Tensor) {
        mean = x.mean(dim: 0, keepDim: true)
        // A constant column would divide by zero; leave it unscaled instead.
        let s = x.std(dim: 0, correction: 0, keepDim: true)
        std = Tensor.where(s.gt(0), s, s.onesLike())
    }

    func transform(_ x: Tensor) -> Tensor { (x - mean) / std }
    func inverse(_ z: Tensor) -> Tensor { z * std + mean }
}
