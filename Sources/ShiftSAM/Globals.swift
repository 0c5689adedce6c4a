import Yams

/// SAM's Globals rules, as its specification states them: a property set on the resource overrides the global
/// one (text, numbers, Booleans, and intrinsic functions, which are values too); maps merge, the resource's keys
/// winning; lists add up, the global entries first. Nodes keep their positions, so a value taken from Globals
/// is reported at its line under Globals.
enum Globals {
    /// `properties` with `globals` merged in; either may be absent.
    static func merge(_ globals: Node?, into properties: Node?) -> Node? {
        guard let globals else { return properties }
        guard let properties else { return globals }
        return merged(globals, properties)
    }

    private static func merged(_ global: Node, _ local: Node) -> Node {
        switch (global, local) {
        case let (.mapping(globalMapping), .mapping(localMapping)) where !isIntrinsic(global) && !isIntrinsic(local):
            var pairs: [(Node, Node)] = []
            for (key, value) in globalMapping {
                if let override = localMapping.first(where: { $0.key.scalar?.string == key.scalar?.string }) {
                    pairs.append((override.key, merged(value, override.value)))
                } else {
                    pairs.append((key, value))
                }
            }
            for (key, value) in localMapping where !globalMapping.contains(where: { $0.key.scalar?.string == key.scalar?.string }) {
                pairs.append((key, value))
            }
            return .mapping(.init(pairs, localMapping.tag, localMapping.style, localMapping.mark))
        case let (.sequence(globalItems), .sequence(localItems)) where !isIntrinsic(global) && !isIntrinsic(local):
            return .sequence(.init(Array(globalItems) + Array(localItems), localItems.tag, localItems.style, localItems.mark))
        default:
            return local
        }
    }

    /// `!Ref X` or `{"Fn::If": ...}`: a value, not a map or list to merge into.
    static func isIntrinsic(_ node: Node) -> Bool {
        let tag = node.tag.description
        if tag.hasPrefix("!"), tag.count > 1 { return true }
        if case let .mapping(mapping) = node, mapping.count == 1, let key = mapping.first?.key.scalar?.string {
            return key == "Ref" || key.hasPrefix("Fn::")
        }
        return false
    }
}
