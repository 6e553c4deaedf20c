// Programmer errors (a shape mismatch passed to an op) trap, as Array does
// for an index out of range. Swift's own precondition drops its message in
// optimized builds, so these keep it: the op and shapes must reach the user.

/// Stops the program with `message`; the one place Ember traps.
package func emberTrap(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}

@inline(__always)
func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = "",
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { emberTrap(message(), file: file, line: line) }
}

func preconditionFailure(_ message: @autoclosure () -> String = "",
                         file: StaticString = #fileID, line: UInt = #line) -> Never {
    emberTrap(message(), file: file, line: line)
}
