import Foundation
import TriageKit
import YAML

/// A small structural checker for the OpenAPI document: types, required fields, properties,
/// items, enums, oneOf and $ref. Enough to catch a response that drifts from docs/openapi.yaml.
struct OpenAPISchema {
    let root: Node

    init(text: String) throws {
        let doc = YAMLDocument.parse(text)
        guard doc.errors.isEmpty, let root = doc.root else { throw CheckError(problems: doc.errors.map(\.description)) }
        self.root = root
    }

    struct CheckError: Error, CustomStringConvertible {
        var problems: [String]
        var description: String { problems.joined(separator: "\n") }
    }

    /// The response schema for a path, method, status and media type.
    func responseSchema(path: String, method: String, status: Int, media: String = "application/json") -> Node? {
        guard var response = root["paths"]?[path]?[method]?["responses"]?[String(status)] else { return nil }
        response = resolve(response)
        return response["content"]?[media]?["schema"]
    }

    func resolve(_ node: Node) -> Node {
        guard let ref = node["$ref"]?.scalar, ref.hasPrefix("#/") else { return node }
        var current = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = current[String(part)] else { return node }
            current = next
        }
        return resolve(current)
    }

    /// Problems of `value` against `schema`; empty when it conforms.
    func check(_ value: JSONValue, _ schema: Node, at path: String = "$") -> [String] {
        let schema = resolve(schema)
        if let options = schema["oneOf"]?.elements {
            let matching = options.filter { check(value, $0, at: path).isEmpty }
            return matching.count == 1 ? [] : ["\(path): matches \(matching.count) of the oneOf options"]
        }
        var problems: [String] = []
        if let typeNode = schema["type"] {
            let types = typeNode.elements?.compactMap(\.scalar) ?? [typeNode.scalar].compactMap { $0 }
            if !types.contains(where: { has(value, type: $0) }) {
                return ["\(path): expected \(types.joined(separator: "|")), got \(value.typeName)"]
            }
        }
        if let allowed = schema["enum"]?.elements?.compactMap(\.scalar), let s = value.string ?? value.bool.map(String.init) {
            if !allowed.contains(s) { problems.append("\(path): \(s) is not one of \(allowed)") }
        }
        if case .object(let pairs) = value {
            for name in schema["required"]?.elements?.compactMap(\.scalar) ?? [] where value[name] == nil {
                problems.append("\(path): missing required \(name)")
            }
            let properties = schema["properties"]
            for (key, v) in pairs {
                if let p = properties?[key] {
                    problems += check(v, p, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"], extra.pairs != nil {
                    problems += check(v, extra, at: "\(path).\(key)")
                }
            }
        }
        if case .array(let elements) = value, let items = schema["items"] {
            for (i, e) in elements.enumerated() { problems += check(e, items, at: "\(path)[\(i)]") }
        }
        return problems
    }

    private func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("null", .null), ("object", .object), ("array", .array):
            return true
        case ("number", _):
            return value.number != nil
        case ("integer", _):
            return value.number.map { $0.rounded() == $0 } ?? false
        default:
            return false
        }
    }
}
