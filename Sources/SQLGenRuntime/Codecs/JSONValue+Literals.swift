/// JSON written as Swift literals: `let meta: JSONValue = ["theme": "dark", "size": 12, "tags": ["a"], "note": nil]`.
extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `null`.
    public init(nilLiteral: ()) { self = .null }

    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }

    /// An integer, its text exact.
    public init(integerLiteral value: Int) { self = .number(String(value)) }

    /// A number written as a floating-point literal, as Swift prints the `Double` (`1.5`, `1e+20`): a
    /// literal is always finite, so the text is always a JSON number.
    public init(floatLiteral value: Double) { self = .number(value.description) }

    /// An array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// An object; a key written twice keeps its last value, as JSON parsers do.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
