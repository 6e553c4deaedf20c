// ChestX-ray14 (Wang et al., 2017) in its own file layout: a label CSV
// (`Data_Entry_2017.csv`: "Image Index", "Finding Labels" joined by "|"),
// an image folder, and split lists (`train_val_list.txt`, `test_list.txt`,
// or CheXNet's own train/val/test lists) naming one image per line.

import EmberData
import Foundation
import SwiftCSV

/// Multi-label chest X-rays: each example is an image and a float vector of
/// 14 findings (1 where present) in `CheXNet.labels` order.
///
/// ```swift
/// let train = try ChestXray14(labels: csv, images: imageFolder, list: trainList,
///                             loader: { try readImage(at: $0, mode: .rgb) }, transform: { preprocess($0) })
/// ```
public struct ChestXray14: Dataset, Sendable {
    /// The findings, in label-vector order (CheXNet's).
    public static let findings = CheXNet.labels

    public let samples: [(url: URL, labels: [Float])]
    let loader: ImageLoader
    let transform: (@Sendable (Tensor) -> Tensor)?

    /// - Parameters:
    ///   - labels: the label CSV.
    ///   - images: the folder holding the images by file name.
    ///   - list: a split list (one image name per line); nil takes every CSV row.
    public init(labels: URL, images: URL, list: URL? = nil, loader: @escaping ImageLoader,
                transform: (@Sendable (Tensor) -> Tensor)? = nil) throws {
        self.loader = loader
        self.transform = transform
        let csv: CSV<Named>
        do { csv = try CSV<Named>(url: labels, delimiter: .comma, loadColumns: false) } catch {
            throw DatasetError.unreadableFile(path: labels.path, reason: "not a readable CSV file: \(error)")
        }
        for column in ["Image Index", "Finding Labels"] where !csv.header.contains(column) {
            throw DatasetError.missingColumn(path: labels.path, column: column, columns: csv.header)
        }
        var byImage: [String: [Float]] = [:]
        var order: [String] = []
        for (row, fields) in csv.rows.enumerated() {
            let name = fields["Image Index"] ?? "", findings = fields["Finding Labels"] ?? ""
            var vector = [Float](repeating: 0, count: Self.findings.count)
            for finding in findings.split(separator: "|").map({ $0.trimmingCharacters(in: .whitespaces) })
            where finding != "No Finding" {
                guard let i = Self.findings.firstIndex(of: finding) else {
                    throw DatasetError.unknownLabel(path: labels.path, row: row + 2, label: finding)
                }
                vector[i] = 1
            }
            if byImage.updateValue(vector, forKey: name) == nil { order.append(name) }
        }
        var names = order
        if let list {
            let text: String
            do { text = try String(contentsOf: list, encoding: .utf8) } catch {
                throw DatasetError.unreadableFile(path: list.path, reason: error.localizedDescription)
            }
            names = []
            for (line, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                // CheXNet's lists append the labels after the name; only the name counts here.
                guard let name = raw.split(whereSeparator: \.isWhitespace).first.map(String.init) else { continue }
                guard byImage[name] != nil else {
                    throw DatasetError.notInLabels(listPath: list.path, line: line + 1, image: name)
                }
                names.append(name)
            }
        }
        let rowOf = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0 + 2) })
        samples = try names.map { name in
            let url = images.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DatasetError.missingImage(path: labels.path, row: rowOf[name]!, image: url.path)
            }
            return (url, byImage[name]!)
        }
    }

    public var count: Int { samples.count }

    /// The transformed image and its 14 labels (float32).
    public func example(at index: Int) throws -> [Tensor] {
        let sample = samples[index]
        let image = try loader(sample.url)
        return [transform?(image) ?? image, Tensor(sample.labels)]
    }
}
