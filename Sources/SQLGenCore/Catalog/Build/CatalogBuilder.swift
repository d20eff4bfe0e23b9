/// Builds a ``Catalog`` by applying DDL statements in order, as PostgreSQL
/// would, and reports what PostgreSQL would reject as diagnostics.
///
/// ```swift
/// var builder = CatalogBuilder(viewColumnResolver: QueryAnalyzerViewResolver())
/// for file in migrationFiles { builder.apply(SQLParser.parse(file)) }
/// let catalog = builder.catalog
/// ```
///
/// The catalog does not analyse queries: a view's columns come from the resolver it is given
/// (``Pipeline/buildCatalog(from:viewColumnResolver:)`` gives the query analyzer's).
///
/// A statement with an error is skipped and the rest still applied, so that
/// one run reports as many problems as it can.
public struct CatalogBuilder: Sendable {
    /// The catalog built so far.
    public internal(set) var catalog: Catalog
    /// Problems found so far.
    public internal(set) var diagnostics: [Diagnostic] = []
    /// Infers the columns of views and materialized views from their queries.
    public var viewColumnResolver: any ViewColumnResolver

    /// The file of the statement being applied.
    var file = SourceFile(path: "", text: "")
    /// Byte offset of the statement being applied, for errors without a better position.
    var statementLocation = 0
    /// Whether a statement whose effects cannot be seen (a `DO` block, a `CALL`) has run: relations it
    /// may have made are unknown, so a reference to a missing one is only a warning after it.
    var sawOpaqueStatement = false

    /// Starts from an empty database, or from `catalog`; views get their columns from `viewColumnResolver`.
    public init(catalog: Catalog = Catalog(), viewColumnResolver: any ViewColumnResolver) {
        self.catalog = catalog
        self.viewColumnResolver = viewColumnResolver
    }

    /// Applies every statement of a parsed file, and keeps its syntax errors.
    public mutating func apply(_ parsed: ParsedFile) {
        diagnostics.append(contentsOf: parsed.diagnostics)
        file = parsed.file
        for statement in parsed.statements {
            apply(statement)
        }
    }

    /// Applies one statement of the current file.
    mutating func apply(_ statement: Statement) {
        statementLocation = statement.location
        switch statement.kind {
        case .createSchema(let create): createSchema(create)
        case .createTable(let create): createTable(create)
        case .alterTable(let alter): alterTable(alter)
        case .createIndex(let index): createIndex(index)
        case .createEnum(let create): createEnum(create)
        case .alterEnum(let alter): alterEnum(alter)
        case .createCompositeType(let create): createCompositeType(create)
        case .createDomain(let create): createDomain(create)
        case .createView(let create): createView(create)
        case .createSequence(let name, let ifNotExists): createSequence(name, ifNotExists: ifNotExists)
        case .createFunction(let create): createFunction(create)
        case .createExtension(let create): createExtension(create)
        case .drop(let drop): self.drop(drop)
        case .comment(let comment): self.comment(comment)
        case .rename(let rename): self.rename(rename)
        case .setSchema(let setSchema): self.setSchema(setSchema)
        case .setSearchPath(let path): catalog.searchPath = path.filter { $0 != "$user" }
        case .query(.call):
            sawOpaqueStatement = true
            // A procedure may change the schema; its body is not read.
            warning("CALL is not understood by sqlgen's catalog; changes it makes to the schema are not seen")
        case .query, .ignored, .utility:
            break
        case .opaque(let keywords):
            sawOpaqueStatement = true
            warning("\(keywords) is not understood by sqlgen's catalog; changes it makes to the schema are not seen")
        }
    }

    // MARK: - Reporting

    /// Reports an error at a byte offset (the statement's start when the offset is unknown).
    mutating func error(_ message: String, at offset: Int = -1) {
        diagnostics.append(.error(message, in: file, atOffset: offset >= 0 ? offset : statementLocation))
    }

    /// Reports a warning at a byte offset (the statement's start when the offset is unknown).
    mutating func warning(_ message: String, at offset: Int = -1) {
        diagnostics.append(.warning(message, in: file, atOffset: offset >= 0 ? offset : statementLocation))
    }

    // MARK: - Schemas

    /// The schema a new object goes into, or an error when there is none.
    mutating func targetSchema(_ schema: String?, at offset: Int) -> String? {
        if let schema {
            guard catalog.schemas[schema] != nil else {
                error("schema \"\(schema)\" does not exist", at: offset)
                return nil
            }
            return schema
        }
        guard let schema = catalog.creationSchema else {
            error("no schema has been selected to create in", at: offset)
            return nil
        }
        return schema
    }

    mutating func createSchema(_ create: CreateSchema) {
        if let existing = catalog.schemas[create.name] {
            if create.name == "public", existing.isEmpty, create.elements.isEmpty, !create.ifNotExists {
                // A dump's `CREATE SCHEMA public`: every new database has it, and a restore goes on past it.
                diagnostics.append(
                    file.diagnostic(
                        .note, "schema \"public\" already exists in every new database; CREATE SCHEMA public skipped",
                        atOffset: statementLocation))
            } else if !create.ifNotExists {
                error("schema \"\(create.name)\" already exists")
            }
            return
        }
        catalog.schemas[create.name] = CatalogSchema(name: create.name)
        guard !create.elements.isEmpty else { return }
        let savedPath = catalog.searchPath
        catalog.searchPath = [create.name]
        for element in create.elements { apply(element) }
        catalog.searchPath = savedPath
    }
}
