import Foundation
import SQLGenRuntime
import Testing

/// The code sqlgen generates for the query corpus, compiled into this target
/// by the build plugin and run against the throwaway server.
@Suite(.serialized) struct GeneratedCodeTests {
    @Test func generatedTypesExist() {
        #expect(OrderStatus.allCases == [.pending, .paid, .shipped, .cancelled])
        #expect(SelectsQueries.GetCustomer.sql == "SELECT * FROM customers WHERE id = $1")
        #expect(SelectsQueries.GetCustomer.scope == .unscoped)
    }
}
