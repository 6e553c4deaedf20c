// Why an image dataset could not be built from a folder or a label file.

/// A dataset's files did not describe a dataset; each case names the file
/// or folder and what was wrong.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case notAFolder(path: String)
    case noClasses(root: String)
    case noImages(root: String, className: String)
    case unreadableFile(path: String, reason: String)
    case missingColumn(path: String, column: String, columns: [String])
    case unknownLabel(path: String, row: Int, label: String)
    case missingImage(path: String, row: Int, image: String)
    case notInLabels(listPath: String, line: Int, image: String)

    public var description: String {
        switch self {
        case .notAFolder(let path): "\(path): not a folder"
        case .noClasses(let root): "\(root): no class folders (ImageFolder expects root/<class>/<image>)"
        case .noImages(let root, let className): "\(root)/\(className): no image files (.jpg, .jpeg, .png, ...)"
        case .unreadableFile(let path, let reason): "\(path): \(reason)"
        case .missingColumn(let path, let column, let columns):
            "\(path): no column \"\(column)\"; the header has \(columns.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .unknownLabel(let path, let row, let label): "\(path), row \(row): unknown finding \"\(label)\""
        case .missingImage(let path, let row, let image): "\(path), row \(row): image \(image) is not in the image folder"
        case .notInLabels(let listPath, let line, let image): "\(listPath), line \(line): \(image) has no row in the label file"
        }
    }
}
