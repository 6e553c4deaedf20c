// Checks shared by the pickle and zip-container suites: a PickleValue tree
// against gen_pth.py's description of the object torch saved
// (Tests/Fixtures/checkpoint/pth/expected.json).

import EmberCheckpoint
import Testing

/// Compares a rebuilt value with gen_pth.py's description of the object.
/// Tensors are `_rebuild_tensor_v2` calls: shape, stride and offset are checked here.
func expectMatches(_ value: PickleValue, _ expected: [String: Any], _ path: String) {
    switch (expected["kind"] as! String, value) {
    case ("tensor", .reduce(callable: .global(module: "torch._utils", name: "_rebuild_tensor_v2"), arguments: let args)):
        #expect(args.count >= 4, "\(path)")
        guard args.count >= 4 else { return }
        #expect(args[1] == .int(Int64(expected["storage_offset"] as! Int)), "\(path) storage offset")
        #expect(args[2] == .tuple((expected["shape"] as! [Int]).map { .int(Int64($0)) }), "\(path) shape")
        #expect(args[3] == .tuple((expected["stride"] as! [Int]).map { .int(Int64($0)) }), "\(path) stride")
    case ("dict", .dict(items: let items, ordered: false, attributes: _)),
         ("ordered_dict", .dict(items: let items, ordered: true, attributes: _)):
        let pairs = expected["items"] as! [[Any]]
        #expect(items.count == pairs.count, "\(path): \(items.count) items, expected \(pairs.count)")
        for (item, pair) in zip(items, pairs) {
            expectMatches(item.key, pair[0] as! [String: Any], "\(path) key")
            expectMatches(item.value, pair[1] as! [String: Any], "\(path)[\(item.key)]")
        }
    case ("list", .list(let items)), ("tuple", .tuple(let items)):
        let children = expected["items"] as! [[String: Any]]
        #expect(items.count == children.count, "\(path)")
        for (i, (item, child)) in zip(items, children).enumerated() { expectMatches(item, child, "\(path)[\(i)]") }
    case ("none", .none): break
    case ("bool", .bool(let b)): #expect(b == expected["value"] as! Bool, "\(path)")
    case ("int", .int(let i)): #expect(String(i) == expected["value"] as! String, "\(path)")
    case ("float", .float(let f)): #expect(f == Double(expected["value"] as! String)!, "\(path)")
    case ("string", .string(let s)): #expect(s == expected["value"] as! String, "\(path)")
    default: Issue.record("\(path): \(value) does not match \(expected["kind"]!)")
    }
}
