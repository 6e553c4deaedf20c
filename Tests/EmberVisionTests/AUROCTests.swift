// AUROC against scikit-learn's roc_auc_score (gen_auroc.py), ties included,
// and the undefined single-class case.

import EmberCore
import Foundation
import EmberTestSupport
import EmberVision
import Testing

@Test func aurocMatchesScikitLearn() throws {
    let cases = FixtureLoader.directory.appendingPathComponent("vision/auroc.json")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: cases)) as? [[String: Any]])
    for c in json {
        let scores = (c["scores"] as! [Double]).map { Float($0) }, labels = (c["labels"] as! [Double]).map { Float($0) }
        let value = try #require(auroc(scores: scores, labels: labels))
        #expect(abs(value - (c["auroc"] as! Double)) <= 1e-12, "\(value) vs \(c["auroc"]!)")
    }
}

@Test func aurocPerClassAndUndefinedClasses() {
    let scores = Tensor([[0.1, 0.9], [0.4, 0.8], [0.35, 0.7], [0.8, 0.6]] as [[Float]])
    let labels = Tensor([[0, 1], [0, 1], [1, 1], [1, 1]] as [[Float]])
    let perClass = classAUROC(scores: scores, labels: labels)
    #expect(perClass[0] == 0.75)
    #expect(perClass[1] == nil, "one class only: undefined")
}
