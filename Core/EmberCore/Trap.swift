// Ops check their arguments with these, so the message (op name and shapes)
// survives optimized builds; see EmberKernels/Trap.swift.

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
