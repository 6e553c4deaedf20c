// Class activation maps, as the CheXNet paper draws them: which regions of
// an image drove one class's score. CAM (Zhou et al., 2016) weighs the last
// feature map's channels by the final linear layer's weights for the class;
// Grad-CAM (Selvaraju et al., 2017) by the class score's gradient, averaged
// over positions, so it works for any head.

import EmberNN

/// How to weigh the feature channels of a class activation map.
public enum ActivationMapMethod: String, Sendable, CaseIterable {
    /// The final linear layer's weights (exact for global-pooling heads).
    case cam
    /// The spatially averaged gradient of the class score.
    case gradCAM = "grad-cam"
}

extension ImageClassifier {
    /// One `[h, w]` map per image for class `classIndex`, at the feature
    /// map's resolution, scaled to [0, 1] per image (negative evidence
    /// clipped, as both papers draw it). Run the model in eval mode.
    ///
    /// ```swift
    /// let maps = model.classActivationMaps(images, classIndex: 7)   // [N, 7, 7] for 224×224 input
    /// ```
    public func classActivationMaps(_ input: Tensor, classIndex: Int, method: ActivationMapMethod = .cam) -> Tensor {
        let weights: Tensor, features: Tensor
        switch method {
        case .cam:
            features = GradMode.noGrad { featureMap(input) }
            let w = finalLinear.weight.detach()
            precondition(classIndex >= 0 && classIndex < w.shape[0],
                         "classActivationMaps: class \(classIndex) is outside the \(w.shape[0]) classes")
            weights = w[classIndex].reshape([1, -1, 1, 1])
        case .gradCAM:
            let maps = GradMode.enableGrad { featureMap(input).detach().requiresGrad_() }
            let scores = GradMode.enableGrad { head(maps) }
            precondition(classIndex >= 0 && classIndex < scores.shape[1],
                         "classActivationMaps: class \(classIndex) is outside the \(scores.shape[1]) classes")
            GradMode.enableGrad { scores.select(dim: 1, index: classIndex).sum().backward() }
            features = maps.detach()
            weights = maps.grad!.mean(dims: [2, 3], keepDim: true)
        }
        return GradMode.noGrad {
            let raw = features.mul(weights).sum(dims: [1]).relu()          // [N, h, w]
            let peak = raw.flatten(startDim: 1).max(dim: 1).values.clamp(min: 1e-12)
            return raw.div(peak.reshape([-1, 1, 1]))
        }
    }
}
