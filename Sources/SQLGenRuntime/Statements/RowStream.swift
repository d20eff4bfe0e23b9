/// A row stream fed by `produce`, which hands each row to its `send` closure and stops when that
/// returns false (the consumer went away); see ``SQLRowStream``.
func rowStream<Row: Sendable>(_ produce: @escaping SQLRowStream<Row>.Producer) -> SQLRowStream<Row> {
    SQLRowStream(produce)
}
