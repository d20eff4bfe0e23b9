import SQLGenCore

/// libFuzzer entry point: the input is split at the first `\n-- queries\n` (as bytes, so a CRLF before
/// it does not hide it) into a schema and query text, which go through parse → catalog → analysis →
/// emission. Any crash, hang or sanitizer report is a bug; diagnostics are the expected outcome for bad
/// input. Emitted Swift must never hold a carriage return or a NUL: either would end a comment or
/// change a literal's value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let separator = Array("\n-- queries\n".utf8)
    var split = bytes.count
    if bytes.count >= separator.count {
        for index in 0...(bytes.count - separator.count) where bytes[index..<index + separator.count].elementsEqual(separator) {
            split = index
            break
        }
    }
    let schemaText = String(decoding: bytes[..<split], as: UTF8.self)
    let schema = SourceFile(path: "schema.sql", text: MigrationText.upSections(of: schemaText))
    let (catalog, _) = Pipeline.buildCatalog(from: [schema])
    guard split < bytes.count else { return 0 }
    let queryText = String(decoding: bytes[(split + separator.count)...], as: UTF8.self)
    let queries = SourceFile(path: "queries.sql", text: queryText)
    for tenancy in [nil, TenancyConfiguration()] {
        let (analyzed, _) = QueryCompiler.compile([queries], catalog: catalog, tenancy: tenancy)
        _ = CompileReport(queries: analyzed, catalog: catalog).json
        let files = SwiftEmitter(catalog: catalog, queries: analyzed, options: SwiftOptions(), tenancy: tenancy)
            .emit().files
        for file in files where file.contents.utf8.contains(where: { $0 == 13 || $0 == 0 }) {
            preconditionFailure("\(file.name) holds a carriage return or a NUL")
        }
        _ = QueryVet(catalog: catalog, tenancy: tenancy).check(analyzed)
    }
    return 0
}
