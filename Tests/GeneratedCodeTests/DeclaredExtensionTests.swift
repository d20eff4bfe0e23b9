import Foundation
import SQLGenRuntime
import Testing

/// A semantic version as the semver extension writes it (`1.2.3`, `2.0.0-beta.1`): the Swift type
/// sqlgen.yaml declares for the extension's `semver` type. Its codec is the type's text form.
struct SemanticVersion: Hashable, Sendable, SQLCodable, CustomStringConvertible {
    var major: Int
    var minor: Int
    var patch: Int
    var prerelease: String?

    var description: String { "\(major).\(minor).\(patch)" + (prerelease.map { "-" + $0 } ?? "") }

    func sqlText() -> String? { description }

    static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SemanticVersion {
        guard let text else { throw .unexpectedNull }
        let core = text.split(separator: "-", maxSplits: 1)
        let numbers = core.first.map { $0.split(separator: ".").compactMap { Int($0) } } ?? []
        guard numbers.count == 3 else { throw SQLDecodingFailure("'\(text)' is not a semantic version") }
        return SemanticVersion(
            major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: core.count == 2 ? String(core[1]) : nil
        )
    }
}

/// The queries of a schema using an extension sqlgen has no catalog for, run through the generated
/// code: the declared type comes and goes as its Swift type, the declared functions and operators
/// return what the server computes.
@Suite(.serialized) struct DeclaredExtensionTests {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../SQLGenCoreTests/Fixtures/extensions/schema.sql").standardizedFileURL.path

    @Test func declaredTypesFunctionsAndOperatorsRoundTrip() async throws {
        let connection = try await GeneratedCodeTests.database("declared_extension", schema: Self.schemaPath)
        defer { Task { await connection.close() } }
        let releases = ReleasesQueries(connection)
        #expect(try await releases.newestRelease() == nil)
        let old = SemanticVersion(major: 1, minor: 4, patch: 2, prerelease: nil)
        let new = SemanticVersion(major: 2, minor: 0, patch: 0, prerelease: "beta.1")
        let firstID = try await releases.insertRelease(package: "sqlgen", version: old, previous: nil, supported: [old])
        _ = try await releases.insertRelease(package: "sqlgen", version: new, previous: old, supported: [old, new])
        let found = try #require(try await releases.releaseByVersion(version: new))
        #expect(found.version == new)
        #expect(found.previous == old)
        let after = try await releases.releasesAfter(version: SemanticVersion(major: 1, minor: 5, patch: 0))
        #expect(after.map(\.version) == [new])
        #expect(after.map(\.major) == [2])
        #expect(try await releases.previousMajors() == [nil, 1])
        #expect(try await releases.newestRelease() == new)
        let parsed = try #require(try await releases.parseVersion(p1: "3.1.4"))
        #expect(parsed.parsed == SemanticVersion(major: 3, minor: 1, patch: 4))
        #expect(parsed.valid)
        #expect(try await releases.supportedVersions(id: firstID) == [old])
        #expect(try await releases.releasesIn(version: [new, old]) == [firstID, firstID + 1])
    }
}
