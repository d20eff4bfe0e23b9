/// What a tenant export holds (`manifest.json` in the export's folder, beside one COPY file per
/// table): enough to rebuild the tenant's schema from the same migrations on another database, load
/// its rows and check them.
public struct TenantExportManifest: Codable, Sendable, Equatable {
    /// One table's data.
    public struct Table: Sendable, Equatable, Codable {
        /// The table's name in its schema.
        public var name: String
        /// Its stored columns in column order, each quoted as an identifier: generated columns are left
        /// to the server.
        public var columns: [String]
        /// How many rows it holds.
        public var rows: Int?
        /// The sum of each row's text hashed (`hashtextextended`, under fixed date, time and float
        /// settings): equal data gives an equal sum, whatever the rows' order.
        public var checksum: String?
        /// The file in the export's folder that holds its rows (COPY text format).
        public var file: String?
    }

    /// One sequence's position.
    public struct Sequence: Sendable, Equatable, Codable {
        /// The sequence's name in its schema.
        public var name: String
        /// Its `last_value`.
        public var lastValue: String
        /// Its `is_called`.
        public var isCalled: Bool
    }

    /// The layout's version; this runtime reads 1.
    public var format: Int
    /// The tenant's display name.
    public var name: String
    /// The tenant's subdomain when exported.
    public var subdomain: String
    /// The migration version its schema was at: an import needs the same migrations.
    public var version: Int64
    /// The tables, in an order that keeps foreign keys satisfied.
    public var tables: [Table]
    /// The sequences and where they stood.
    public var sequences: [Sequence]

    /// The manifest's file name in an export's folder.
    public static let fileName = "manifest.json"
}
