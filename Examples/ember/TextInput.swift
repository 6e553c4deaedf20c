// Text for the text subcommands: arguments, or stdin as lines or as one JSON
// array of strings. Output helpers print JSON with one shared encoder.

import ArgumentParser
import Foundation

/// How stdin holds the texts.
enum TextInputFormat: String, ExpressibleByArgument, CaseIterable {
    case lines, json
}

enum TextInput {
    /// `arguments` if any, else stdin split into lines (a trailing newline adds
    /// no empty text; a "\r\n" ending loses its "\r") or parsed as a JSON array.
    static func read(_ arguments: [String], format: TextInputFormat = .lines) throws -> [String] {
        if !arguments.isEmpty { return arguments }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        switch format {
        case .json:
            guard let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
                throw ValidationError("stdin: expected one JSON array of strings")
            }
            return try array.enumerated().map { index, value in
                guard let text = value as? String else { throw ValidationError("stdin: element \(index) of the JSON array is not a string") }
                return text
            }
        case .lines:
            // Split on bytes: in Swift's String, "\r\n" is one Character that "\n" doesn't match.
            var lines = try data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
                guard let text = String(data: Data(bytes), encoding: .utf8) else { throw ValidationError("stdin: not UTF-8 text") }
                return text
            }
            if lines.last == "" { lines.removeLast() }
            return lines
        }
    }

    /// One line of compact JSON on stdout.
    static func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }
}
