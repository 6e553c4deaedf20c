// ProgressBar's exact text in both modes, driven by a fake clock: in-place
// redraws with escape codes on a terminal, plain lines otherwise.

import EmberData
import Testing

/// A clock the test moves by hand, and the text the bar wrote.
final class FakeConsole {
    var now = 0.0
    var text = ""
    var writes = 0

    func bar(total: Int?, description: String = "", unit: String = "it", terminal: Bool,
             logInterval: Double = 10) -> ProgressBar {
        ProgressBar(total: total, description: description, unit: unit, logInterval: logInterval, isTerminal: terminal,
                    clock: { [unowned self] in now }, write: { [unowned self] in text += $0; writes += 1 })
    }

    /// The text written since the last call.
    func take() -> String {
        defer { text = "" }
        return text
    }
}

@Suite struct ProgressBarTests {
    @Test func plainLinesEveryIntervalAndAtTheEnd() {
        let console = FakeConsole()
        let bar = console.bar(total: 10, description: "epoch 1", unit: "img", terminal: false, logInterval: 5)
        let losses = [0.5, 0.3, 0.4, 0.2, 0.1, 0.6, 0.2, 0.3, 0.4, 0.5]
        for (i, loss) in losses.prefix(4).enumerated() {
            console.now = Double(i + 1)
            bar.update(items: 32, loss: loss)
        }
        #expect(console.take() == "")
        console.now = 5
        bar.update(items: 32, loss: losses[4])
        #expect(console.take() == "epoch 1 5/10 (50%)  loss 0.3000  32.0 img/s  ETA 5.0s\n")
        for (i, loss) in losses.dropFirst(5).enumerated() {
            console.now = Double(i + 6)
            bar.update(items: 32, loss: loss)
        }
        #expect(console.take() == "epoch 1 10/10 (100%)  loss 0.3500  32.0 img/s\n")
        bar.update(0, metrics: ["val acc": 0.9, "lr": 0.002, "mse": 3815.04791])
        bar.log("checkpoint saved")
        #expect(console.take() == "checkpoint saved\n")
        console.now = 12.5
        bar.finish()
        #expect(console.take() == "epoch 1 10/10 (100%)  loss 0.3500  val acc 0.9000  lr 0.002  mse 3815.0  25.6 img/s  done in 12.5s\n")
        bar.finish()
        bar.update(items: 32, loss: 1)
        #expect(console.take() == "")
    }

    @Test func terminalRedrawsInPlace() {
        let console = FakeConsole()
        let bar = console.bar(total: 4, description: "train", terminal: true)
        console.now = 0.5
        bar.update(loss: 1.0)
        #expect(console.take() == "\rtrain [#####...............] 1/4  loss 1.0000  2.0 it/s  ETA 1.5s\u{1B}[K")
        console.now = 0.55
        bar.update(loss: 0.5)
        #expect(console.take() == "", "redraws wait for redrawInterval (0.1 s)")
        console.now = 1.0
        bar.update(loss: 0, metrics: ["lr": 0.1, "grad norm": 3e-05])
        let third = "\rtrain [###############.....] 3/4  loss 0.5000  lr 0.1000  grad norm 3e-05  3.0 it/s  ETA 0.3s\u{1B}[K"
        #expect(console.take() == third)
        bar.log("note")
        #expect(console.take() == "\r\u{1B}[Knote\n" + third)
        console.now = 1.05
        bar.update(loss: 0.5)
        #expect(console.take() == "\rtrain [####################] 4/4  loss 0.5000  lr 0.1000  grad norm 3e-05  3.8 it/s\u{1B}[K",
                "the last step is always drawn")
        console.now = 2
        bar.finish()
        #expect(console.take() == "\rtrain [####################] 4/4  loss 0.5000  lr 0.1000  grad norm 3e-05  2.0 it/s  done in 2.0s\u{1B}[K\n")
        bar.finish()
        #expect(console.take() == "")
    }

    @Test func longEtasAndUnknownTotals() {
        let console = FakeConsole()
        let long = console.bar(total: 1000, terminal: false, logInterval: 0)
        console.now = 10
        long.update()
        #expect(console.take() == "1/1000 (0%)  0.1 it/s  ETA 2:46:30\n")
        let minutes = console.bar(total: 26, unit: "batch", terminal: false, logInterval: 0)
        console.now = 15
        minutes.update()
        #expect(console.take() == "1/26 (3%)  0.2 batch/s  ETA 2:05\n")
        let open = console.bar(total: nil, description: "stream", terminal: true)
        console.now = 17
        open.update(3, items: 30)
        #expect(console.take() == "\rstream step 3  15.0 it/s\u{1B}[K")
        open.finish()
        #expect(console.take() == "\rstream step 3  15.0 it/s  done in 2.0s\u{1B}[K\n")
    }

    @Test func plainModeWritesNoControlCharacters() {
        let console = FakeConsole()
        let bar = console.bar(total: 50, description: "fit", terminal: false, logInterval: 1)
        for i in 1...50 {
            console.now = Double(i) * 0.3
            bar.update(items: 8, loss: 1 / Double(i))
            if i == 20 { bar.log("halfway") }
        }
        bar.finish()
        let text = console.take()
        #expect(!text.contains("\r") && !text.contains("\u{1B}"))
        let lines = text.split(separator: "\n")
        // A line each time a second has passed since the last (every 4th step), the log line and the final line.
        #expect(lines.count == 12 + 1 + 1)
        #expect(lines.contains("halfway"))
        #expect(lines.last?.hasPrefix("fit 50/50 (100%)  loss 0.0900  26.7 it/s  done in 15.0s") == true)
    }
}
