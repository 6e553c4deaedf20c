// `ember train-image` and `ember classify` on a small two-class dataset the
// test draws (reddish and bluish noise): training reaches a high AUROC,
// resumes from its checkpoint, and the fine-tuned weights classify; bad
// files are reported without stopping the others.

import EmberCore
import EmberVision
import Foundation
import Testing

/// `root/red/*.png` and `root/blue/*.png`, 40×40, seeded.
private func drawDataset(_ root: URL, perClass: Int) throws {
    let g = Generator(seed: 9)
    for (name, channel) in [("red", 0), ("blue", 2)] {
        let dir = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for i in 0..<perClass {
            var pixels = Tensor.randint(high: 120, [3, 40, 40], generator: g).to(.uint8)
            let strong = Tensor.randint(low: 150, high: 255, [1, 40, 40], generator: g).to(.uint8)
            pixels = Tensor.cat([channel == 0 ? strong : pixels.narrow(dim: 0, start: 0, length: 1),
                                 pixels.narrow(dim: 0, start: 1, length: 1),
                                 channel == 2 ? strong : pixels.narrow(dim: 0, start: 2, length: 1)], dim: 0)
            try writePNG(pixels, to: dir.appendingPathComponent("\(i).png"))
        }
    }
}

@Test("train-image fine-tunes, resumes, and its weights classify")
func trainImageThenClassify() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data"), run = dir.appendingPathComponent("run")
    try drawDataset(data, perClass: 12)
    let common = ["train-image", "--folder", data.path, "--model", "resnet18", "--resize", "36", "--crop", "32",
                  "--batch-size", "8", "--workers", "2", "--lr", "1e-3", "--output", run.path]
    let first = try ember(common + ["--epochs", "2"])
    #expect(first.status == 0, "\(first.stderr)")
    let summary = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("epoch 2:") })
    let auroc = try #require(Double(summary.split(separator: " ").last!))
    #expect(auroc >= 0.9, "\(summary)")
    for file in ["last.pth", "best.safetensors", "labels.txt"] {
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "\(file)")
    }
    #expect(try String(contentsOf: run.appendingPathComponent("labels.txt"), encoding: .utf8) == "blue\nred\n")

    let resumed = try ember(common + ["--epochs", "3"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("resuming after epoch 2"))
    #expect(resumed.stdout.contains("epoch 3:") && !resumed.stdout.contains("epoch 1:"))

    // The fine-tuned weights, a corrupt file in the middle, JSON lines out.
    let corrupt = dir.appendingPathComponent("corrupt.png")
    try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: corrupt)
    let classify = try ember(["classify", "--model", "resnet18", "--weights", run.appendingPathComponent("best.safetensors").path,
                              "--labels", run.appendingPathComponent("labels.txt").path, "--resize", "36", "--crop", "32",
                              "--format", "json", data.appendingPathComponent("red/0.png").path, corrupt.path,
                              data.appendingPathComponent("blue/1.png").path])
    #expect(classify.status == 1, "a file failed, so the status is 1")
    let lines = try classify.stdout.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(lines.count == 3)
    func top(_ line: [String: Any]) -> String? { ((line["predictions"] as? [[String: Any]])?.first)?["label"] as? String }
    #expect(top(lines[0]) == "red")
    #expect((lines[1]["error"] as? String)?.contains("corrupt.png") == true, "\(lines[1])")
    #expect(top(lines[2]) == "blue")

    // Ten crops, averaged, with CAM overlays written beside.
    let maps = dir.appendingPathComponent("maps")
    let tencrop = try ember(["classify", "--model", "resnet18", "--weights", run.appendingPathComponent("best.safetensors").path,
                             "--labels", run.appendingPathComponent("labels.txt").path, "--resize", "36", "--crop", "32",
                             "--tencrop", "--cam", maps.path, "--top", "1", data.appendingPathComponent("blue/2.png").path])
    #expect(tencrop.status == 0, "\(tencrop.stderr)")
    #expect(tencrop.stdout.contains("blue (0)"), "\(tencrop.stdout)")
    let overlay = try readImage(at: maps.appendingPathComponent("2.cam.png"))
    #expect(overlay.shape == [3, 32, 32])
}

@Test("classify refuses bad arguments with a message", arguments: [
    ["classify", "--model", "vgg16", "x.jpg"],
    ["classify", "--model", "densenet121", "x.jpg"],
    ["classify", "--weights", "/nonexistent/w.pth", "x.jpg"],
    ["classify", "--top", "0", "x.jpg"],
])
func classifyArgumentErrors(_ arguments: [String]) throws {
    let run = try ember(arguments)
    #expect(run.status != 0)
    #expect(run.stderr.contains("Error:"), "\(run.stderr)")
}

@Test("train-image reads a ChestX-ray14-style label file with split lists")
func trainImageFromChestXrayCSV() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data")
    try drawDataset(data, perClass: 8)
    // Red images show Effusion, blue ones Mass; every third image also shows Edema.
    var rows = ["Image Index,Finding Labels,Patient ID"], train: [String] = [], valid: [String] = []
    let images = dir.appendingPathComponent("images")
    try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
    for (name, finding) in [("red", "Effusion"), ("blue", "Mass")] {
        for i in 0..<8 {
            let file = "\(name)_\(i).png"
            try FileManager.default.copyItem(at: data.appendingPathComponent("\(name)/\(i).png"),
                                             to: images.appendingPathComponent(file))
            rows.append("\(file),\(i % 3 == 0 ? finding + "|Edema" : finding),\(i)")
            if i < 6 { train.append(file) } else { valid.append(file) }
        }
    }
    let csv = dir.appendingPathComponent("Data_Entry_2017.csv")
    try rows.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
    try train.joined(separator: "\n").write(to: dir.appendingPathComponent("train.txt"), atomically: true, encoding: .utf8)
    try valid.joined(separator: "\n").write(to: dir.appendingPathComponent("valid.txt"), atomically: true, encoding: .utf8)
    let run = try ember(["train-image", "--labels", csv.path, "--images", images.path,
                         "--train-list", dir.appendingPathComponent("train.txt").path,
                         "--valid-list", dir.appendingPathComponent("valid.txt").path,
                         "--model", "resnet18", "--resize", "36", "--crop", "32", "--epochs", "1", "--batch-size", "4",
                         "--workers", "0", "--output", dir.appendingPathComponent("run").path])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.hasPrefix("epoch 1: valid loss") && $0.contains("mean AUROC") }, "\(lines)")
    // Findings with both kinds of example get a value; the rest say why they have none.
    for finding in ["Effusion", "Mass"] {
        #expect(lines.contains { $0.contains(finding) && $0.contains("AUROC 0.") || $0.contains(finding) && $0.contains("AUROC 1.") })
    }
    #expect(lines.contains { $0.contains("Hernia") && $0.contains("n/a (one class only)") })
    #expect(try String(contentsOf: dir.appendingPathComponent("run/labels.txt"), encoding: .utf8)
            .split(separator: "\n").count == 14)
}
