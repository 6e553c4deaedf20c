// torchvision's ImageFolder: one folder per class, classes sorted by name,
// images found recursively in sorted order, so indices and labels match
// PyTorch's for the same tree.

import EmberData
import Foundation

/// Reads an image file into a uint8 CHW tensor; `ImageFolder` and
/// `ChestXray14` take one so that decoding stays swappable (and testable).
public typealias ImageLoader = @Sendable (URL) throws -> Tensor

/// Images in `root/<class>/**/<file>`, labelled by class index, like
/// `torchvision.datasets.ImageFolder`.
///
/// ```swift
/// let data = try ImageFolder(root: URL(fileURLWithPath: "photos"), transform: { preprocess($0) })
/// print(data.classes)            // ["cat", "dog"]
/// let loader = DataLoader(data, batchSize: 32, shuffle: true, numWorkers: 2)
/// try loader.forEachBatch { batch in ... }   // batch[0]: images, batch[1]: int64 labels
/// ```
public struct ImageFolder: Dataset, Sendable {
    /// torchvision's IMG_EXTENSIONS, matched case-insensitively.
    public static let extensions: Set<String> = ["jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp"]

    public let root: URL
    /// Class names, sorted: `classes[label]`.
    public let classes: [String]
    /// Every image with its class index, in PyTorch's order.
    public let samples: [(url: URL, label: Int)]
    let loader: ImageLoader
    let transform: (@Sendable (Tensor) -> Tensor)?

    public init(root: URL, loader: @escaping ImageLoader, transform: (@Sendable (Tensor) -> Tensor)? = nil) throws {
        self.root = root
        self.loader = loader
        self.transform = transform
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError.notAFolder(path: root.path)
        }
        let entries: [String]
        do { entries = try fm.contentsOfDirectory(atPath: root.path) } catch {
            throw DatasetError.unreadableFile(path: root.path, reason: error.localizedDescription)
        }
        classes = entries.filter { name in
            var dir: ObjCBool = false
            return fm.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &dir) && dir.boolValue
        }.sorted(by: Self.pythonOrder)
        guard !classes.isEmpty else { throw DatasetError.noClasses(root: root.path) }
        var samples: [(url: URL, label: Int)] = []
        for (label, name) in classes.enumerated() {
            let files = Self.imageFiles(under: root.appendingPathComponent(name))
            guard !files.isEmpty else { throw DatasetError.noImages(root: root.path, className: name) }
            samples += files.map { ($0, label) }
        }
        self.samples = samples
    }

    /// Python's `sorted` on str: by code point, which UTF-8 byte order is.
    static func pythonOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Image files below `folder` in `sorted(os.walk(folder))` order: folders
    /// by path, files by name within each.
    ///
    /// ```swift
    /// for url in ImageFolder.imageFiles(under: URL(fileURLWithPath: "photos")) { print(url.path) }
    /// ```
    public static func imageFiles(under folder: URL) -> [URL] {
        var folders: [String: [String]] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: folder.path) else { return [] }
        while let relative = walker.nextObject() as? String {
            var dir: ObjCBool = false
            let full = folder.appendingPathComponent(relative)
            guard fm.fileExists(atPath: full.path, isDirectory: &dir) else { continue }
            if dir.boolValue { folders[full.path, default: []] += []; continue }
            guard extensions.contains(full.pathExtension.lowercased()) else { continue }
            folders[full.deletingLastPathComponent().path, default: []].append(full.lastPathComponent)
        }
        return folders.keys.sorted(by: pythonOrder).flatMap { dir in
            folders[dir]!.sorted(by: pythonOrder).map { URL(fileURLWithPath: dir).appendingPathComponent($0) }
        }
    }

    public var count: Int { samples.count }

    /// The transformed image and its class index (int64, 0-d).
    public func example(at index: Int) throws -> [Tensor] {
        let sample = samples[index]
        let image = try loader(sample.url)
        return [transform?(image) ?? image, Tensor(scalar: Int64(sample.label))]
    }
}
