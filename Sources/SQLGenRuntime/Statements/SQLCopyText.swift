/// COPY's text format, written row by row from COPY statements, for executors that send COPY data
/// themselves: fields separated by tabs, rows ended by newlines, NULL as `\N`, and the characters
/// COPY reads specially escaped.
public struct SQLCopyText {
    private var bindings = SQLBindings.forCopy(binary: false)

    /// An empty buffer.
    public init() {}

    /// Appends a row.
    public mutating func append<S: SQLCopyStatement>(_ row: S) {
        row.bind(to: &bindings)
        bindings.endCopyRow()
    }

    /// How many bytes are waiting.
    public var byteCount: Int { bindings.copyData.count }

    /// The bytes written since the last call, leaving the buffer empty.
    public mutating func takeBytes() -> [UInt8] {
        defer { bindings.copyData.removeAll(keepingCapacity: true) }
        return bindings.copyData
    }
}
