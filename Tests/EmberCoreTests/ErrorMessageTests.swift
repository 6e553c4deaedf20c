// Programmer errors trap with a message that names the op and the shapes.
// Each runs in a child process (an exit test) whose stderr is checked.

import EmberCore
import EmberTestSupport
import Foundation
import Testing

private func stderrText(_ result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}

@Suite struct ErrorMessageTests {
    @Test func matmulNamesBothShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
        }
        #expect(stderrText(r).contains("matmul: [2, 3] and [4, 5] cannot be multiplied"))
    }

    @Test func broadcastNamesOpAndShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        #expect(stderrText(r).contains("add: shapes [2, 3] and [4] cannot be broadcast together"))
    }

    @Test func viewOfIncompatibleStrides() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).t().view([6])
        }
        #expect(stderrText(r).contains("view: shape [6] is incompatible"))
    }

    @Test func indexOutOfRange() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3, 2]).indexSelect(dim: 0, index: Tensor([5] as [Int64]))
        }
        #expect(stderrText(r).contains("index_select: index 5 is out of bounds for dim 0 with size 3"))
    }

    @Test func inPlaceCannotChangeDtype() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Tensor.zeros([2], dtype: .int64).add_(1.5)
        }
        #expect(stderrText(r).contains("add_: result type torch.float32 can't be cast to the desired output type torch.int64"))
    }

    @Test func integerDivisionByZero() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([4, 2] as [Int64]).floorDivide(Tensor([1, 0] as [Int64]))
        }
        #expect(stderrText(r).contains("floor_divide: integer division by zero"))
    }

    @Test func catMismatchedShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.cat([Tensor.zeros([2, 3]), Tensor.zeros([2, 4])], dim: 0)
        }
        #expect(stderrText(r).contains("cat: sizes must match except in dim 0, got [2, 3] and [2, 4]"))
    }
}
