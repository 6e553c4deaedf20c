// Swift's own precondition drops its message in optimized builds; these keep
// it, as EmberCore's do, so a misused loader says what was wrong.

@inline(__always)
func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = "",
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

func preconditionFailure(_ message: @autoclosure () -> String = "",
                         file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
