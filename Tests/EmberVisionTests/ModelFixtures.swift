// The weights both sides of the model parity tests use, computed rather than
// stored: gen_vision_models.py's `fill`, term for term.

import EmberCore
import EmberNN
import EmberTestSupport
import Foundation

enum ModelFixtures {
    nonisolated(unsafe) static let json = FixtureLoader.json("vision/models.json")

    static func model(_ name: String) -> [String: Any] { json[name] as! [String: Any] }

    /// sin(0.7·i + 1.3·k + 0.5), as in the script.
    static func formula(_ n: Int, _ k: Int) -> [Double] {
        let phase = 1.3 * Double(k) + 0.5
        return (0..<n).map { sin(Double($0) * 0.7 + phase) }
    }

    /// Fills every state-dict tensor of `model` in key order.
    static func fill(_ model: Module) {
        GradMode.noGrad {
            for (k, (name, t)) in model.stateDict().enumerated() {
                if t.dtype == .int64 { _ = t.fill_(0); continue }
                let s = formula(t.count, k)
                let fanIn = Double(t.count / max(t.shape.first ?? 1, 1))
                let v: [Double] = if name.hasSuffix("running_var") { s.map { 1 + 0.2 * abs($0) } }
                    else if name.hasSuffix("running_mean") || name.hasSuffix("bias") { s.map { 0.1 * $0 } }
                    else if t.rank == 1 { s.map { 0.5 + 0.1 * $0 } }
                    else { s.map { $0 / fanIn.squareRoot() } }
                t.copy_(Tensor(v.map { Float($0) }, shape: t.shape))
            }
        }
    }

    /// The script's input: 0.5·sin(0.7·i + 0.5) over [2, 3, 64, 64].
    static func input() -> Tensor {
        let shape = json["input_shape"] as! [Int]
        return Tensor(formula(shape.reduce(1, *), 0).map { Float(0.5 * $0) }, shape: shape)
    }
}
