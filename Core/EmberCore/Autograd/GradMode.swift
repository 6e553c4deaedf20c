// Whether ops record the graph. Task-local, so a no-grad scope in one task or
// thread never switches recording off in another.

/// Grad-mode scopes, like `torch.no_grad()` and `torch.inference_mode()`.
///
/// ```swift
/// let y = GradMode.noGrad { model(x) }   // records nothing
/// ```
public enum GradMode {
    @TaskLocal static var enabled = true

    /// True when ops record the graph for backward.
    public static var isEnabled: Bool { enabled }

    /// Runs `body` without recording gradients.
    public static func noGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(false, operation: body)
    }

    /// Runs `body` without recording anything; Ember's inference mode is the
    /// no-grad scope (there is no extra bookkeeping to skip).
    public static func inferenceMode<R>(_ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(false, operation: body)
    }

    /// Runs `body` with recording switched on (inside a no-grad scope).
    public static func enableGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(true, operation: body)
    }
}
