import SQLGenCore

/// libFuzzer entry point: the input is split at the first NUL-free line `-- queries` into
/// a schema and query text, which go through parse → catalog → analysis → emission.
/// Any crash, hang or sanitizer report is a bug; diagnostics are the expected outcome for bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n-- queries\n", omittingEmptySubsequences: false).map(String.init)
    let schema = SourceFile(path: "schema.sql", text: MigrationText.upSections(of: parts[0]))
    let (catalog, _) = Pipeline.buildCatalog(from: [schema])
    guard parts.count > 1 else { return 0 }
    let queries = SourceFile(path: "queries.sql", text: parts[1...].joined(separator: "\n"))
    for tenancy in [nil, TenancyConfiguration()] {
        let (analyzed, _) = QueryCompiler.compile([queries], catalog: catalog, tenancy: tenancy)
        _ = CompileReport(queries: analyzed, catalog: catalog).json
        _ = SwiftEmitter(catalog: catalog, queries: analyzed, options: SwiftOptions(), tenancy: tenancy).emit()
        _ = QueryVet(catalog: catalog, tenancy: tenancy).check(analyzed)
    }
    return 0
}
