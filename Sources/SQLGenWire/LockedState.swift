import Foundation

/// State shared between threads behind a lock (a pthread mutex, which ThreadSanitizer understands).
package final class LockedState<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// State that starts as `value`.
    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the state, holding the lock.
    package func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
