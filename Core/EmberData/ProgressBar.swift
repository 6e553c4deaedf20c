// A progress line for training loops. On a terminal it is redrawn in place;
// written to a file or a CI log it becomes plain lines every few seconds,
// where carriage returns and escape codes would only be noise.

import Foundation

/// Progress through a loop, like tqdm: steps done out of `total`, the mean
/// loss so far, the latest values of any other metrics, throughput and the
/// time left.
///
/// On a terminal (by default: when standard output is one, `isatty(1)`) the
/// line is redrawn in place, at most every `redrawInterval` seconds and on the
/// last step. Otherwise a plain line is written every `logInterval` seconds.
/// `finish()` leaves the final state on its own line in both modes.
///
/// Throughput counts items when updates pass `items:` (say, images per
/// batch), else steps; `unit` names what is counted.
///
/// ```swift
/// let bar = ProgressBar(total: loader.count, description: "epoch 1", unit: "img")
/// for batch in loader {
///     let loss = Functional.crossEntropy(model(batch[0]), batch[1])
///     ...
///     bar.update(items: batch[0].shape[0], loss: loss.item())
/// }
/// bar.finish()   // epoch 1 [####################] 23/23  loss 0.4211  2051.3 img/s  done in 0.7s
/// ```
public final class ProgressBar {
    /// Steps in the whole loop, or nil when unknown (no bar, percentage or ETA).
    public let total: Int?
    /// Text at the start of the line, such as "epoch 3/30".
    public let description: String
    /// What throughput counts: items if updates pass `items:`, else steps.
    public let unit: String
    /// Redraw in place (true) or write plain lines (false).
    public let isTerminal: Bool
    /// Seconds between redraws on a terminal.
    public let redrawInterval: Double
    /// Seconds between plain lines when not on a terminal.
    public let logInterval: Double

    /// Steps done so far.
    public private(set) var step = 0
    /// Items counted by `update(items:)` so far.
    public private(set) var items = 0
    private var lossSum = 0.0
    private var lossCount = 0
    private var metrics: [(name: String, value: Double)] = []

    private let clock: () -> Double
    private let write: (String) -> Void
    private let start: Double
    private var lastOutput: Double
    private var drawn = false
    private var finished = false

    /// A progress line for `total` steps.
    ///
    /// - Parameters:
    ///   - isTerminal: redraw in place; defaults to whether standard output is a terminal.
    ///   - clock: the current time in seconds (any fixed origin); tests pass a fake one.
    ///   - write: where the text goes; defaults to standard output, flushed each time.
    ///
    /// ```swift
    /// var log = ""
    /// let bar = ProgressBar(total: 10, isTerminal: false, clock: { 0 }, write: { log += $0 })
    /// ```
    public init(total: Int?, description: String = "", unit: String = "it", redrawInterval: Double = 0.1,
                logInterval: Double = 10, isTerminal: Bool = isatty(STDOUT_FILENO) == 1,
                clock: @escaping () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                write: @escaping (String) -> Void = { print($0, terminator: ""); fflush(nil) }) {
        precondition(total.map { $0 >= 0 } ?? true, "ProgressBar: total must be non-negative, got \(total!)")
        precondition(redrawInterval >= 0 && logInterval >= 0,
                     "ProgressBar: intervals must be non-negative, got \(redrawInterval) and \(logInterval)")
        self.total = total
        self.description = description
        self.unit = unit
        self.isTerminal = isTerminal
        self.redrawInterval = redrawInterval
        self.logInterval = logInterval
        self.clock = clock
        self.write = write
        start = clock()
        lastOutput = start
    }

    /// Records `steps` more steps (0 just updates the numbers shown).
    ///
    /// - Parameters:
    ///   - items: examples in these steps, for an items-per-second rate.
    ///   - loss: this step's loss; the line shows the mean of all losses given.
    ///   - metrics: other values to show, latest value wins (`["lr": 0.01]`).
    ///
    /// ```swift
    /// bar.update(items: 64, loss: loss.item(), metrics: ["lr": optimizer.lr])
    /// ```
    public func update(_ steps: Int = 1, items: Int = 0, loss: Double? = nil, metrics: KeyValuePairs<String, Double> = [:]) {
        precondition(steps >= 0 && items >= 0, "ProgressBar.update: steps and items must be non-negative, got \(steps) and \(items)")
        step += steps
        self.items += items
        if let loss {
            lossSum += loss
            lossCount += 1
        }
        for (name, value) in metrics {
            if let i = self.metrics.firstIndex(where: { $0.name == name }) {
                self.metrics[i].value = value
            } else {
                self.metrics.append((name, value))
            }
        }
        guard !finished else { return }
        let now = clock()
        if isTerminal {
            if !drawn || now - lastOutput >= redrawInterval || step == total { redraw(now) }
        } else if now - lastOutput >= logInterval {
            write(line(now: now) + "\n")
            lastOutput = now
        }
    }

    /// Writes `message` on its own line above the progress line (like
    /// `tqdm.write`), so log lines and the bar do not overwrite each other.
    ///
    /// ```swift
    /// bar.log("validation accuracy 97.5%")
    /// ```
    public func log(_ message: String) {
        if isTerminal && drawn && !finished {
            write("\r\u{1B}[K" + message + "\n")
            redraw(clock())
        } else {
            write(message + "\n")
        }
    }

    /// Writes the final state on its own line; later calls do nothing.
    ///
    /// ```swift
    /// bar.finish()
    /// ```
    public func finish() {
        guard !finished else { return }
        finished = true
        let text = line(now: clock())
        write(isTerminal ? "\r" + text + "\u{1B}[K\n" : text + "\n")
    }

    private func redraw(_ now: Double) {
        write("\r" + line(now: now) + "\u{1B}[K")
        drawn = true
        lastOutput = now
    }

    /// The progress text without control characters.
    func line(now: Double) -> String {
        ProgressLine(description: description, step: step, total: total, items: items, unit: unit,
                     meanLoss: lossCount > 0 ? lossSum / Double(lossCount) : nil, metrics: metrics,
                     elapsed: now - start, finished: finished, showsBar: isTerminal).text
    }
}
