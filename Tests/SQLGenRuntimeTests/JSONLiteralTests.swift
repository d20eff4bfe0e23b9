import Testing

@testable import SQLGenRuntime

/// JSON values written as Swift literals are the values their JSON text parses to.
@Suite("JSON literals")
struct JSONLiteralTests {
    @Test("every literal kind builds the value its JSON text parses to")
    func literalsMatchParsedText() throws {
        let value: JSONValue = [
            "theme": "dark", "size": 12, "ratio": 1.5, "big": 1e20, "negative": -7, "on": true, "off": false,
            "note": nil, "tags": ["a", 2, [nil]], "nested": ["empty": [:], "list": []],
        ]
        let parsed = try JSONValue(
            parsing: """
                {"theme":"dark","size":12,"ratio":1.5,"big":1e+20,"negative":-7,"on":true,"off":false,
                 "note":null,"tags":["a",2,[null]],"nested":{"empty":{},"list":[]}}
                """)
        #expect(value == parsed)
        #expect(value.jsonText == parsed.jsonText)
        // The text is JSON that parses back to the same value.
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }

    @Test("a key written twice keeps its last value instead of trapping")
    func duplicateKeysKeepTheLast() {
        let value: JSONValue = ["a": 1, "a": 2]
        #expect(value == .object(["a": .number("2")]))
    }
}
