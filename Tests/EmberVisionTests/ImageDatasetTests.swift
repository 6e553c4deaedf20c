// ImageFolder and ChestXray14 on small trees written by the tests: the order
// and labels torchvision gives, the label vectors, and a typed error for
// each kind of broken layout. A stub loader stands in for image decoding:
// it reads the file's bytes, so each example shows which file it came from.

import EmberCore
import EmberData
import EmberVision
import Foundation
import Testing

private let stubLoader: ImageLoader = { url in
    let bytes = try [UInt8](Data(contentsOf: url))
    return Tensor(bytes.map(Int64.init))
}

/// Writes `files` (relative path → content) under a fresh folder.
private func tree(_ files: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-ds-" + UUID().uuidString)
    for (path, content) in files {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }
    return root
}

@Test func imageFolderOrdersAsTorchvision() throws {
    let root = try tree([
        "dog/b.jpg": "d1", "dog/a.PNG": "d0", "dog/sub/z.jpeg": "d3", "dog/notes.txt": "skip",
        "Cat/x.png": "c0", "cat/y.jpg": "k0", "dog/c.jpg": "d2",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let data = try ImageFolder(root: root, loader: stubLoader)
    #expect(data.classes == ["Cat", "cat", "dog"])  // code-point order: uppercase first
    #expect(data.samples.map { $0.url.path.replacingOccurrences(of: root.path + "/", with: "") }
            == ["Cat/x.png", "cat/y.jpg", "dog/a.PNG", "dog/b.jpg", "dog/c.jpg", "dog/sub/z.jpeg"])
    #expect(data.samples.map(\.label) == [0, 1, 2, 2, 2, 2])
    let example = try data.example(at: 5)
    #expect(example[0].scalars(as: Int64.self) == Array("d3".utf8).map(Int64.init))
    #expect(example[1].shape == [] && example[1].item(as: Int64.self) == 2)
}

@Test func imageFolderLayoutErrors() throws {
    let empty = try tree(["a/x.jpg": "1", "b/readme.md": "no images"])
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(throws: DatasetError.noImages(root: empty.path, className: "b")) { try ImageFolder(root: empty, loader: stubLoader) }
    let flat = try tree(["x.jpg": "1"])
    defer { try? FileManager.default.removeItem(at: flat) }
    #expect(throws: DatasetError.noClasses(root: flat.path)) { try ImageFolder(root: flat, loader: stubLoader) }
    let missing = flat.appendingPathComponent("nope")
    #expect(throws: DatasetError.notAFolder(path: missing.path)) { try ImageFolder(root: missing, loader: stubLoader) }
}

@Test func imageFolderLoadErrorsReachTheLoop() throws {
    let root = try tree(["a/x.jpg": "1", "a/y.jpg": "2"])
    defer { try? FileManager.default.removeItem(at: root) }
    struct Corrupt: Error {}
    let data = try ImageFolder(root: root, loader: { url in
        if url.lastPathComponent == "y.jpg" { throw Corrupt() }
        return Tensor([Int64(1)])
    })
    #expect(throws: Corrupt.self) { try DataLoader(data, batchSize: 1).forEachBatch { _ in } }
}

private let chestCSV = """
Image Index,Finding Labels,Follow-up #,Patient ID
00000001_000.png,Cardiomegaly,0,1
00000001_001.png,Cardiomegaly|Emphysema,1,1
"00000002_000.png","No Finding",0,2
00000003_000.png,Hernia|Pleural_Thickening|Atelectasis,0,3
"""

@Test func chestXray14LabelsAndLists() throws {
    let root = try tree([
        "Data_Entry_2017.csv": chestCSV, "images/00000001_000.png": "a", "images/00000001_001.png": "b",
        "images/00000002_000.png": "c", "images/00000003_000.png": "d",
        "test_list.txt": "00000003_000.png 1 0 0\n00000001_001.png\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let labels = root.appendingPathComponent("Data_Entry_2017.csv"), images = root.appendingPathComponent("images")
    let all = try ChestXray14(labels: labels, images: images, loader: stubLoader)
    #expect(all.count == 4)
    func vector(_ findings: [String]) -> [Float] { ChestXray14.findings.map { findings.contains($0) ? 1 : 0 } }
    #expect(all.samples.map(\.labels) == [vector(["Cardiomegaly"]), vector(["Cardiomegaly", "Emphysema"]), vector([]),
                                          vector(["Hernia", "Pleural_Thickening", "Atelectasis"])])
    let test = try ChestXray14(labels: labels, images: images, list: root.appendingPathComponent("test_list.txt"),
                               loader: stubLoader)
    #expect(test.samples.map(\.url.lastPathComponent) == ["00000003_000.png", "00000001_001.png"])
    let example = try test.example(at: 0)
    #expect(example[1].shape == [14] && example[1].scalars(as: Float.self) == test.samples[0].labels)
    var batches = DataLoader(test, batchSize: 2, collate: { [Tensor.stack($0.map { $0[1] })] }).makeThrowingIterator()
    let batch = try #require(try batches.next())
    #expect(batch[0].shape == [2, 14])
}

@Test func chestXray14FileErrors() throws {
    let root = try tree([
        "bad_label.csv": "Image Index,Finding Labels\nx.png,Cardiomegaly|Flu\n",
        "no_column.csv": "Image,Labels\nx.png,Mass\n",
        "ok.csv": "Image Index,Finding Labels\nx.png,Mass\ny.png,Edema\n",
        "images/x.png": "x", "list.txt": "x.png\nz.png\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let images = root.appendingPathComponent("images")
    func url(_ name: String) -> URL { root.appendingPathComponent(name) }
    #expect(throws: DatasetError.unknownLabel(path: url("bad_label.csv").path, row: 2, label: "Flu")) {
        try ChestXray14(labels: url("bad_label.csv"), images: images, loader: stubLoader)
    }
    #expect(throws: DatasetError.missingColumn(path: url("no_column.csv").path, column: "Image Index",
                                               columns: ["Image", "Labels"])) {
        try ChestXray14(labels: url("no_column.csv"), images: images, loader: stubLoader)
    }
    #expect(throws: DatasetError.missingImage(path: url("ok.csv").path, row: 3, image: images.appendingPathComponent("y.png").path)) {
        try ChestXray14(labels: url("ok.csv"), images: images, loader: stubLoader)
    }
    #expect(throws: DatasetError.notInLabels(listPath: url("list.txt").path, line: 2, image: "z.png")) {
        try ChestXray14(labels: url("ok.csv"), images: images, list: url("list.txt"), loader: stubLoader)
    }
    #expect(throws: DatasetError.self) {
        try ChestXray14(labels: url("missing.csv"), images: images, loader: stubLoader)
    }
}
