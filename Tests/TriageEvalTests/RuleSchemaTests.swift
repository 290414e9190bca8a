import Foundation
import Testing
@testable import TriageKit
@testable import TriageEval

/// The JSON Schema is generated from the loader's own section definitions; the bundled rules
/// must validate against it (checked with Python's jsonschema, as an editor would), and a file
/// with a typo must not.
@Suite struct RuleSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theCheckedInSchemaIsCurrent() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/rules.schema.json"), encoding: .utf8)
        #expect(committed == RuleSchema.jsonSchema.pretty + "\n", "docs/rules.schema.json is out of date: run scripts/gen-docs.sh")
    }

    @Test func everySectionAndKeyIsInTheSchema() throws {
        let schema = RuleSchema.jsonSchema
        for section in RuleFileSchema.sections {
            let s = try #require(schema["properties"]?[section.name], "section \(section.name)")
            let object = section.shape == .list ? s["items"] : s
            for f in section.fields { #expect(object?["properties"]?[f.key] != nil, "\(section.name).\(f.key)") }
        }
        #expect(schema["properties"]?["rules"]?["items"]?["properties"]?["status"]?["enum"] == .array([.string("experimental"), .string("stable")]))
    }

    func validate(_ documents: [(path: String, json: JSONValue)]) throws -> (status: Int32, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try (RuleSchema.jsonSchema.pretty).write(to: dir.appendingPathComponent("schema.json"), atomically: true, encoding: .utf8)
        let bundle = JSONValue.object(documents.map { ($0.path, $0.json) })
        try bundle.serialized.write(to: dir.appendingPathComponent("docs.json"), atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("python3 jsonschema is missing: run scripts/ensure-deps.sh (apt-get install python3-jsonschema)")
                sys.exit(2)
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft7Validator.check_schema(schema)
            v = jsonschema.Draft7Validator(schema)
            bad = 0
            for path, doc in json.load(open(sys.argv[2])).items():
                for e in v.iter_errors(doc):
                    bad += 1
                    print(path, "/".join(str(p) for p in e.absolute_path), e.message[:200])
            sys.exit(1 if bad else 0)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, dir.appendingPathComponent("schema.json").path, dir.appendingPathComponent("docs.json").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theBundledRulesValidateAndATypoDoesNot() throws {
        let loaded = RuleSetLoader.load(directory: Self.root.appendingPathComponent("rules").path)
        let documents = RuleSchema.documents(loaded)
        #expect(documents.count > 50)
        let good = try validate(documents)
        #expect(good.status == 0, "\(good.output)")
        let bad = RuleSetLoader.load(RuleSource(files: [RuleSource.File(path: "typo.yaml", text: """
            rules:
              - id: x
                category: business
                weigth: 2
                patterns: ['a']
            cues:
              - {id: c, flag: vage, patterns: [b]}
            """)]))
        let typo = try validate(RuleSchema.documents(bad))
        #expect(typo.status == 1, "\(typo.output)")
        #expect(typo.output.contains("weigth") && typo.output.contains("vage"))
    }
}
