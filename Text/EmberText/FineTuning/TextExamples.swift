// Labelled text from CSV, TSV or JSON Lines files, the formats `ember
// finetune` accepts. Every failure names the file, the line or row, and the
// column, so a user can fix the data without guessing.

import Foundation
import SwiftCSV

/// A file of labelled text that can't be used.
public enum TextDataError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case missingColumn(path: String, column: String, columns: [String])
    case badRow(path: String, line: Int, reason: String)
    case empty(path: String)
    case unknownLabel(path: String, line: Int, label: String, known: [String])

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): \(reason)"
        case let .missingColumn(path, column, columns):
            "\(path): no column \"\(column)\" (columns: \(columns.joined(separator: ", ")))"
        case let .badRow(path, line, reason): "\(path):\(line): \(reason)"
        case let .empty(path): "\(path): no examples"
        case let .unknownLabel(path, line, label, known):
            "\(path):\(line): label \"\(label)\" is not among the training labels (\(known.prefix(20).joined(separator: ", ")))"
        }
    }
}

/// One text with its label.
public struct TextExample: Sendable, Equatable {
    public var text: String
    public var label: String
    public init(text: String, label: String) { (self.text, self.label) = (text, label) }
}

extension TextExample {
    /// Reads `url` by extension: `.csv`, `.tsv`, or `.jsonl`/`.json` (one
    /// object per line). Labels may be strings or integers.
    ///
    /// ```swift
    /// let train = try TextExample.read(URL(fileURLWithPath: "train.jsonl"), textColumn: "text", labelColumn: "label")
    /// ```
    public static func read(_ url: URL, textColumn: String = "text", labelColumn: String = "label") throws -> [TextExample] {
        let examples: [TextExample]
        switch url.pathExtension.lowercased() {
        case "jsonl", "json", "ndjson": examples = try readJSONLines(url, textColumn, labelColumn)
        case "tsv", "tab": examples = try readDelimited(url, .tab, textColumn, labelColumn)
        case "csv", "txt", "": examples = try readDelimited(url, .comma, textColumn, labelColumn)
        default:
            throw TextDataError.unreadable(path: url.path, reason: "unknown extension .\(url.pathExtension): use .csv, .tsv or .jsonl")
        }
        guard !examples.isEmpty else { throw TextDataError.empty(path: url.path) }
        return examples
    }

    static func readDelimited(_ url: URL, _ delimiter: CSVDelimiter, _ textColumn: String,
                              _ labelColumn: String) throws -> [TextExample] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TextDataError.unreadable(path: url.path, reason: "not readable UTF-8 text: \(error.localizedDescription)")
        }
        let csv: CSV<Named>
        do { csv = try CSV<Named>(string: text, delimiter: delimiter, loadColumns: false) } catch {
            throw TextDataError.unreadable(path: url.path, reason: "not a valid \(delimiter == .tab ? "TSV" : "CSV") file: \(error)")
        }
        for column in [textColumn, labelColumn] where !csv.header.contains(column) {
            throw TextDataError.missingColumn(path: url.path, column: column, columns: csv.header)
        }
        return csv.rows.map { TextExample(text: $0[textColumn] ?? "", label: $0[labelColumn] ?? "") }
    }

    static func readJSONLines(_ url: URL, _ textColumn: String, _ labelColumn: String) throws -> [TextExample] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TextDataError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        var examples: [TextExample] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                throw TextDataError.badRow(path: url.path, line: index + 1, reason: "not a JSON object")
            }
            guard let text = object[textColumn] as? String else {
                throw TextDataError.badRow(path: url.path, line: index + 1, reason: "\"\(textColumn)\" is missing or not a string")
            }
            let label: String
            switch object[labelColumn] {
            case let s as String: label = s
            case let n as NSNumber where String(cString: n.objCType) != "c" && n.doubleValue == n.doubleValue.rounded():
                label = String(n.intValue)
            default:
                throw TextDataError.badRow(path: url.path, line: index + 1,
                                           reason: "\"\(labelColumn)\" is missing or not a string or integer")
            }
            examples.append(TextExample(text: text, label: label))
        }
        return examples
    }
}
