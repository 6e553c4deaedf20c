// Swift's own precondition drops its message in optimized builds; these keep
// it, as EmberCore's do, so a misuse names the layer and the shapes.

import EmberKernels

@inline(__always)
func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = "",
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { emberTrap(message(), file: file, line: line) }
}

func preconditionFailure(_ message: @autoclosure () -> String = "",
                         file: StaticString = #fileID, line: UInt = #line) -> Never {
    emberTrap(message(), file: file, line: line)
}
