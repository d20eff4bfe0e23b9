import Foundation
import SQLGenRuntime
import Testing

/// The `meta` column's own type, named by an override in sqlgen.yaml.
package struct ItemMeta: Codable, Hashable, Sendable, SQLJSONCodable {
    package var tags: [String] = []
}

/// Generated from names that are keywords, odd enum labels, colliding tables,
/// composite types and overrides; that this target compiles is most of the test.
@Suite struct GeneratedEdgeCaseTests {
    @Test func awkwardNamesBecomeValidSwift() {
        #expect(TaskState.allCases.map(\.rawValue) == ["in-progress", "done", "2fa", "Already Done", "default"])
        #expect(TaskState.inProgress.rawValue == "in-progress")
        #expect(TaskState.`default`.rawValue == "default")
        let item = Item(
            id: 1, default: "d", case: nil, self: true, userID: nil, apiKey: nil, homepage: nil, state: ._2fa,
            location: GeoPoint(lat: 1.5, lng: -2), meta: ItemMeta(tags: ["x"]), spot: nil)
        #expect(item.`default` == "d")
        #expect(item.`self`)
        #expect(ArchiveItem(id: 1, archivedAt: Date()).id == 1)
    }

    @Test func sqlWithQuotesAndBackslashesIsKeptExactly() {
        #expect(
            QueriesQueries.itemsLikeSQL
                == #"SELECT id, "default", 'it''s \ fine' AS note FROM items WHERE "default" LIKE $1 || '%'"#)
        #expect(QueriesQueries.CopyItems.copyTable == "items")
        #expect(QueriesQueries.CopyItems.copyColumns == ["default", "state"])
    }

    @Test func rowsWithTheSameColumnsAreOneType() {
        #expect(QueriesQueries.ItemStateRow.self == QueriesQueries.CreateItemRow.self)
        let row = QueriesQueries.ItemStateRow(id: 1, state: .done, location: nil)
        let created: QueriesQueries.CreateItemRow = row
        #expect(created == row)
    }

    @Test func compositeAndJSONOverridesRoundTripAsText() throws {
        let point = GeoPoint(lat: 1.5, lng: -2)
        let text = try #require(point.sqlText())
        #expect(try GeoPoint.decode(sqlText: text) == point)
        let meta = ItemMeta(tags: ["a", "b"])
        #expect(try ItemMeta.decode(sqlText: meta.sqlText()) == meta)
    }
}
