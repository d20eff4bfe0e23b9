import Logging
import Metrics

/// Logs and metrics of the queries a connection runs: each query at debug level
/// with its name and duration (never its parameter values), a duration timer per
/// statement name, and an error counter per SQLSTATE class.
struct QueryInstrumentation: Sendable {
    let logger: Logger

    /// Records one finished query.
    func record(name: String, duration: Duration, error: SQLGenError?) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        Timer(label: "sqlgen_query_duration", dimensions: [("statement", name)]).recordNanoseconds(nanoseconds)
        if let error {
            let sqlClass = error.sqlState.map { String($0.prefix(2)) } ?? "none"
            Counter(label: "sqlgen_query_errors", dimensions: [("sqlstate_class", sqlClass)]).increment()
            logger.debug(
                "query failed",
                metadata: [
                    "statement": "\(name)", "duration_ms": "\(Double(nanoseconds) / 1_000_000)",
                    "sqlstate": "\(error.sqlState ?? "none")",
                ])
        } else {
            logger.debug(
                "query", metadata: ["statement": "\(name)", "duration_ms": "\(Double(nanoseconds) / 1_000_000)"])
        }
    }
}
