/// An `AsyncThrowingStream` of rows fed by `produce`, which hands each row to
/// its `yield` closure and stops when that returns false (the consumer went away).
/// Ending the stream early cancels the producing task.
func rowStream<Row: Sendable>(
    _ produce: @escaping @Sendable (_ yield: @escaping @Sendable (Row) -> Bool) async throws -> Void
) -> AsyncThrowingStream<Row, any Error> {
    AsyncThrowingStream { continuation in
        let task = Task {
            do {
                try await produce { row in
                    if case .terminated = continuation.yield(row) { return false }
                    return true
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
    }
}
