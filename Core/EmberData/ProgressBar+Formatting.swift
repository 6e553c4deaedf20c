// The text of a progress line, kept apart from timing and output so that its
// exact format can be tested on its own.

import Foundation

/// One rendering of a `ProgressBar`'s state, without control characters:
///
///     epoch 2 [########............] 9/23  loss 0.3012  lr 0.002  1843.2 img/s  ETA 1.1s   (terminal)
///     epoch 2 9/23 (39%)  loss 0.3012  lr 0.002  1843.2 img/s  ETA 1.1s                     (plain)
///     epoch 2 [####################] 23/23  loss 0.2874  lr 0.002  1850.0 img/s  done in 1.8s
struct ProgressLine {
    var description: String
    var step: Int
    var total: Int?
    var items: Int
    var unit: String
    var meanLoss: Double?
    var metrics: [(name: String, value: Double)]
    var elapsed: Double
    var finished: Bool
    var showsBar: Bool

    static let barWidth = 20

    var text: String {
        var head = description.isEmpty ? [] : [description]
        if let total {
            if showsBar {
                let filled = total == 0 ? ProgressLine.barWidth : Swift.min(ProgressLine.barWidth, step * ProgressLine.barWidth / total)
                head.append("[" + String(repeating: "#", count: filled)
                            + String(repeating: ".", count: ProgressLine.barWidth - filled) + "]")
                head.append("\(step)/\(total)")
            } else {
                head.append("\(step)/\(total) (\(total == 0 ? 100 : step * 100 / total)%)")
            }
        } else {
            head.append("step \(step)")
        }
        var fields = [head.joined(separator: " ")]
        if let meanLoss { fields.append("loss " + String(format: "%.4f", meanLoss)) }
        for (name, value) in metrics { fields.append(name + " " + ProgressLine.metric(value)) }
        let counted = items > 0 ? items : step
        if elapsed > 0 && counted > 0 {
            fields.append(String(format: "%.1f", Double(counted) / elapsed) + " \(unit)/s")
        }
        if finished {
            fields.append("done in " + ProgressLine.duration(elapsed))
        } else if let total, step > 0, step < total, elapsed > 0 {
            fields.append("ETA " + ProgressLine.duration(elapsed / Double(step) * Double(total - step)))
        }
        return fields.joined(separator: "  ")
    }

    /// About five significant digits for the usual range (accuracies,
    /// losses, errors), three for small values such as learning rates:
    /// "0.9000", "12.3457", "3815.0", "0.002", "3e-05".
    static func metric(_ value: Double) -> String {
        let magnitude = Swift.abs(value)
        if magnitude >= 100 || !value.isFinite { return String(format: "%.1f", value) }
        return value == 0 || magnitude >= 0.01 ? String(format: "%.4f", value) : String(format: "%.3g", value)
    }

    /// "4.2s" under a minute, then "3:07" and "1:02:03".
    static func duration(_ seconds: Double) -> String {
        if seconds < 59.95 { return String(format: "%.1fs", Swift.max(0, seconds)) }
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
    }
}
