// CheXNet (Rajpurkar et al., "CheXNet: Radiologist-Level Pneumonia
// Detection on Chest X-Rays with Deep Learning", 2017): DenseNet-121 with a
// 14-way sigmoid head, laid out as arnoweng's reimplementation holds it
// (`densenet121.features...`, `densenet121.classifier.0.weight`), so its
// released checkpoint loads after the DataParallel prefix is stripped.

import EmberNN

/// DenseNet-121 + Linear(1024, 14) + Sigmoid: one probability per ChestX-ray14 finding.
///
/// ```swift
/// let model = CheXNet()
/// let probabilities = model.eval()(xrays)   // [N, 14], in `CheXNet.labels` order
/// ```
public final class CheXNet: Module, ImageClassifier {
    /// The 14 ChestX-ray14 findings, in the paper's (and the checkpoint's) order.
    public static let labels = [
        "Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
        "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia",
    ]

    public let densenet121: DenseNet

    public init(numClasses: Int = 14) {
        densenet121 = DenseNet.densenet121()
        densenet121.replaceClassifier(with: Sequential(Linear(inFeatures: 1024, outFeatures: numClasses), Sigmoid()))
        super.init()
        registerModule("densenet121", densenet121)
    }

    public func featureMap(_ input: Tensor) -> Tensor { densenet121.featureMap(input) }

    /// Probabilities (the sigmoid is part of the model, as in the original).
    public func head(_ featureMap: Tensor) -> Tensor { densenet121.head(featureMap) }

    public override func forward(_ input: Tensor) -> Tensor { head(featureMap(input)) }

    public var finalLinear: Linear { densenet121.finalLinear }

    public func replaceClassifier(numClasses: Int) {
        densenet121.replaceClassifier(with: Sequential(Linear(inFeatures: 1024, outFeatures: numClasses), Sigmoid()))
    }
}
