import Foundation
import Testing

/// A small JSON Schema checker for the keywords docs/output.schema.json uses:
/// type, required, properties, additionalProperties, items, enum, const, oneOf, $ref, pattern.
struct SchemaChecker {
    let root: [String: Any]

    func errors(_ value: Any, _ schema: [String: Any], _ path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.dropFirst("#/$defs/".count))
            return errors(value, (root["$defs"] as! [String: Any])[name] as! [String: Any], path)
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let passing = options.filter { errors(value, $0, path).isEmpty }.count
            return passing == 1 ? [] : ["\(path): matches \(passing) of oneOf"]
        }
        var out: [String] = []
        if let t = schema["type"] {
            let types = (t as? [String]) ?? [t as! String]
            if !types.contains(where: { matches(value, $0) }) { return ["\(path): not of type \(types)"] }
        }
        if let e = schema["enum"] as? [Any], !e.contains(where: { equal($0, value) }) { out.append("\(path): \(value) not in enum") }
        if let c = schema["const"], !equal(c, value) { out.append("\(path): not the constant \(c)") }
        if let p = schema["pattern"] as? String, let s = value as? String, s.range(of: p, options: .regularExpression) == nil {
            out.append("\(path): '\(s)' does not match \(p)")
        }
        if let o = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where o[key] == nil { out.append("\(path): missing \(key)") }
            let props = schema["properties"] as? [String: Any] ?? [:]
            for (k, v) in o {
                if let s = props[k] as? [String: Any] { out += errors(v, s, "\(path).\(k)") }
                else if let extra = schema["additionalProperties"] as? [String: Any] { out += errors(v, extra, "\(path).\(k)") }
            }
        }
        if let a = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, v) in a.enumerated() { out += errors(v, items, "\(path)[\(i)]") }
        }
        return out
    }

    func matches(_ v: Any, _ type: String) -> Bool {
        switch type {
        case "null": return v is NSNull
        case "boolean": return (v as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
        case "number": return v is NSNumber && !matches(v, "boolean")
        case "integer": return (v as? NSNumber).map { !matches(v, "boolean") && $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "string": return v is String
        case "array": return v is [Any]
        case "object": return v is [String: Any]
        default: return false
        }
    }

    func equal(_ a: Any, _ b: Any) -> Bool {
        if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? NSNumber, let y = b as? NSNumber { return x == y }
        return false
    }
}

@Suite struct OutputSchemaTests {
    @Test func everyJSONLLineMatchesTheDocumentedSchema() throws {
        let schemaData = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("docs/output.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
        let checker = SchemaChecker(root: schema)
        var input = ""
        for text in ["请问开具发票需要什么材料？", "网站登录不上", "营业执照注销，几个部门踢皮球", "", "建议增加窗口", "想开公司"] {
            input += String(data: try JSONSerialization.data(withJSONObject: ["id": "x", "text": text]), encoding: .utf8)! + "\n"
        }
        input += "{\"id\": 3}\nnot json\n{\"id\": \"d\", \"text\": \"网站登录不上\", \"received_at\": \"yesterday\"}\n"
        let r = try CLI.run(["classify", "--rules", CLI.bundledRulesPath, "--jsonl"], stdin: Array(input.utf8))
        #expect(r.lines.count == 9)
        for line in r.lines {
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            let problems = checker.errors(value, schema)
            #expect(problems.isEmpty, "\(problems) in \(line)")
        }
    }

    @Test func checkerRejectsAWrongShape() throws {
        let schemaData = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("docs/output.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
        let bad: [String: Any] = ["id": "x", "category": 3]
        #expect(!SchemaChecker(root: schema).errors(bad, schema).isEmpty)
    }
}
