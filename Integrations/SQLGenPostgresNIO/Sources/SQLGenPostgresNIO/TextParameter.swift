import NIOCore
import PostgresNIO
import SQLGenRuntime

/// A parameter in PostgreSQL's text format with no type of its own (oid 0), so that the server
/// reads it as the type the statement gives the parameter, exactly as libpq sends sqlgen's values.
struct TextParameter: PostgresDynamicTypeEncodable {
    let text: String

    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(text)
    }
}

extension PostgresQuery {
    /// The statement's SQL with its values bound as text.
    init(sql: String, bindings: SQLBindings) {
        var binds = PostgresBindings(capacity: bindings.values.count)
        for value in bindings.values {
            if let value {
                binds.append(TextParameter(text: value), context: .default)
            } else {
                binds.appendNull()
            }
        }
        self.init(unsafeSQL: sql, binds: binds)
    }
}
