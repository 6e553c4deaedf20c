// The work behind `ember classify`: decode and preprocess each file (a bad
// file fails alone), run the model on the good ones in one batch, and turn
// outputs into ranked predictions and, optionally, CAM overlays.

import EmberCore
import EmberNN
import EmberVision
import Foundation

struct Prediction {
    let index: Int
    let label: String
    let probability: Float
}

struct BatchClassifier {
    let model: any ImageClassifier
    let preprocessing: ImagePreprocessing
    let tenCrop: Bool
    let multiLabel: Bool
    let labels: [String]

    struct Outcome {
        let file: String
        let result: Result<[Prediction], any Error>
    }

    func classify(_ files: [String], top: Int, camDirectory: URL?) -> [Outcome] {
        var decoded: [(file: String, image: Tensor)] = []
        var outcomes: [String: Result<[Prediction], any Error>] = [:]
        for file in files {
            do { decoded.append((file, try readImage(atPath: file, mode: .rgb))) } catch { outcomes[file] = .failure(error) }
        }
        if !decoded.isEmpty {
            let inputs = decoded.map { tenCrop ? preprocessing.tenCrops($0.image) : preprocessing($0.image).unsqueeze(0) }
            let crops = inputs[0].shape[0]
            let output = GradMode.noGrad { model(Tensor.cat(inputs, dim: 0)) }
            guard output.shape[1] == labels.count else {
                let error = ClassifyError.labelCount(labels: labels.count, outputs: output.shape[1])
                for d in decoded { outcomes[d.file] = .failure(error) }
                return files.map { Outcome(file: $0, result: outcomes[$0]!) }
            }
            // CheXNet's sigmoid is part of the model; single-label models get a softmax.
            let probabilities = GradMode.noGrad {
                (multiLabel ? output : output.softmax(dim: 1)).reshape([decoded.count, crops, -1]).mean(dims: [1])
            }
            for (i, d) in decoded.enumerated() {
                let p = probabilities[i].scalars(as: Float.self)
                let ranked = p.indices.sorted { p[$0] > p[$1] }.prefix(min(top, p.count))
                let predictions = ranked.map { Prediction(index: $0, label: labels[$0], probability: p[$0]) }
                if let camDirectory, let best = predictions.first {
                    do {
                        try writeActivationMap(for: d, classIndex: best.index, into: camDirectory)
                        outcomes[d.file] = .success(predictions)
                    } catch {
                        outcomes[d.file] = .failure(error)
                    }
                } else {
                    outcomes[d.file] = .success(predictions)
                }
            }
        }
        return files.map { Outcome(file: $0, result: outcomes[$0]!) }
    }

    /// `<dir>/<image name>.cam.png`: the top class's map over the center crop.
    private func writeActivationMap(for d: (file: String, image: Tensor), classIndex: Int, into directory: URL) throws {
        let cropped = TF.centerCrop(preprocessing.resized(d.image), size: [preprocessing.crop])
        let map = model.classActivationMaps(preprocessing.normalized(cropped).unsqueeze(0), classIndex: classIndex)[0]
        let name = URL(fileURLWithPath: d.file).deletingPathExtension().lastPathComponent + ".cam.png"
        try writePNG(activationMapOverlay(image: cropped, map: map), to: directory.appendingPathComponent(name))
    }
}

enum ClassifyError: Error, CustomStringConvertible {
    case labelCount(labels: Int, outputs: Int)

    var description: String {
        switch self {
        case .labelCount(let labels, let outputs): "the labels file has \(labels) names but the model has \(outputs) outputs"
        }
    }
}
