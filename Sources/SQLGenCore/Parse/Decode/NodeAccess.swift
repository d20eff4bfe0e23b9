import CPgQuery

/// A node of libpg_query's unpacked protobuf parse tree.
typealias NodePointer = UnsafeMutablePointer<PgQuery__Node>

/// The C array type protobuf-c uses for repeated nodes.
typealias NodeArray = UnsafeMutablePointer<UnsafeMutablePointer<PgQuery__Node>?>

/// The non-null nodes of a repeated field.
@inline(__always)
func nodes(_ count: Int, _ base: NodeArray?) -> [NodePointer] {
    guard let base, count > 0 else { return [] }
    var result: [NodePointer] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        if let node = base[index] { result.append(node) }
    }
    return result
}

/// A C string field as a Swift string (protobuf-c uses "" for absent strings).
@inline(__always)
func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
}

/// A C string field, or nil when empty.
@inline(__always)
func optionalText(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer, pointer.pointee != 0 else { return nil }
    return String(cString: pointer)
}

/// The value of a `String` node, or nil for any other node.
@inline(__always)
func stringValue(_ node: NodePointer) -> String? {
    guard node.pointee.node_case == PG_QUERY__NODE__NODE_STRING, let string = node.pointee.string else {
        return nil
    }
    return text(string.pointee.sval)
}

/// The string values of a list of `String` nodes.
func stringValues(_ count: Int, _ base: NodeArray?) -> [String] {
    nodes(count, base).compactMap(stringValue)
}

/// The string values of a `List` node of `String` nodes.
func stringValues(ofList node: NodePointer) -> [String] {
    guard node.pointee.node_case == PG_QUERY__NODE__NODE_LIST, let list = node.pointee.list else { return [] }
    return stringValues(list.pointee.n_items, list.pointee.items)
}

/// The string of an `A_Const` string constant, or of a `String` node.
func constantString(_ node: NodePointer) -> String? {
    if let string = stringValue(node) { return string }
    guard node.pointee.node_case == PG_QUERY__NODE__NODE_A_CONST, let constant = node.pointee.a_const,
        constant.pointee.val_case == PG_QUERY__A__CONST__VAL_SVAL, let string = constant.pointee.sval
    else { return nil }
    return text(string.pointee.sval)
}

/// The `name value` options of a statement (`DefElem` nodes with string values).
func definitionStrings(_ count: Int, _ base: NodeArray?) -> [String: String] {
    var result: [String: String] = [:]
    for node in nodes(count, base) where node.pointee.node_case == PG_QUERY__NODE__NODE_DEF_ELEM {
        guard let element = node.pointee.def_elem?.pointee else { continue }
        if let argument = element.arg, let value = constantString(argument) {
            result[text(element.defname)] = value
        }
    }
    return result
}
