import Foundation
import Testing
import TriageKit
@testable import TriageServer
import YAML

/// The parts of the contract written in docs/ that come from a Swift type: each is generated
/// from the type (`UPDATE_DOCS=1 swift test --filter ContractDocsTests` rewrites them) or
/// checked against it. Real responses are validated against docs/openapi.yaml by
/// scripts/contract.py (jsonschema, openapi-schema-validator), run by scripts/qa-ci.sh.
@Suite struct ContractDocsTests {
    static let openAPIPath = packageRoot.appendingPathComponent("docs/openapi.yaml").path
    static let outputPath = packageRoot.appendingPathComponent("docs/output.md").path
    static let httpPath = packageRoot.appendingPathComponent("docs/http.md").path

    static func document() throws -> Node {
        let doc = YAMLDocument.parse(try String(contentsOfFile: openAPIPath, encoding: .utf8))
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        return try #require(doc.root)
    }

    static func schema(_ name: String) throws -> Node {
        try #require(try document()["components"]?["schemas"]?[name], "docs/openapi.yaml has no schema \(name)")
    }

    static func strings(_ node: Node?) -> [String?] {
        (node?.elements ?? []).map { $0.style == .plain && $0.scalar == "null" ? nil : $0.scalar }
    }

    static func keys(_ node: Node?) -> [String] { (node?.pairs ?? []).compactMap(\.key.scalar) }

    /// The text between `begin` and `end` in `path` must be `content`; with UPDATE_DOCS it is rewritten.
    static func generated(_ path: String, begin: String, end: String, _ content: String) throws {
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(doc.range(of: begin), "\(path) lacks \(begin)")
        let stop = try #require(doc.range(of: end, range: start.upperBound..<doc.endIndex), "\(path) lacks \(end)")
        let current = String(doc[start.upperBound..<stop.lowerBound])
        if ProcessInfo.processInfo.environment["UPDATE_DOCS"] != nil, current != content {
            try (doc[..<start.upperBound] + content + doc[stop.lowerBound...]).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == content, "\(path) is out of date: run UPDATE_DOCS=1 swift test --filter ContractDocsTests")
    }

    /// A YAML list block between `# BEGIN name` and `# END name` comment lines.
    static func yamlList(_ path: String, _ name: String, _ values: [String]) throws {
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let line = try #require(doc.split(separator: "\n").first { $0.contains("# BEGIN \(name)") }, "no # BEGIN \(name) in \(path)")
        let indent = String(line.prefix { $0 == " " }) + "  "
        try generated(path, begin: String(line) + "\n", end: String(line.prefix { $0 == " " }) + "# END \(name)",
                      values.map { "\(indent)- \($0)\n" }.joined())
    }

    // Generated lists and tables.

    @Test func reasonCodesInTheDocumentAreReasonCode() throws {
        try Self.yamlList(Self.openAPIPath, "reason-codes", ReasonCode.allCases.map(\.rawValue))
    }

    @Test func inputErrorCodesInTheDocumentAreInputErrorCode() throws {
        try Self.yamlList(Self.openAPIPath, "input-error-codes", InputError.Code.allCases.map(\.rawValue))
    }

    @Test func errorCodesInTheDocumentAreAPIErrorCode() throws {
        try Self.yamlList(Self.openAPIPath, "error-codes", APIError.Code.allCases.map(\.rawValue))
        #expect(Set(InputError.Code.allCases.map { APIError.Code($0).rawValue }) == Set(InputError.Code.allCases.map(\.rawValue)))
    }

    @Test func theHTTPErrorTableIsAPIErrorCode() throws {
        var rows = ["| status | `error.code` | when |", "| --- | --- | --- |"]
        for code in APIError.Code.allCases { rows.append("| \(code.status.code) | `\(code.rawValue)` | \(code.summary) |") }
        try Self.generated(Self.httpPath, begin: "<!-- BEGIN error-codes -->\n", end: "<!-- END error-codes -->", rows.joined(separator: "\n") + "\n")
    }

    @Test func theInputTablesAreMessageRecordAndInputErrorCode() throws {
        var fields = ["| field | required | meaning |", "| --- | --- | --- |"]
        for f in MessageRecord.fields { fields.append("| `\(f.name)` | \(f.required ? "yes" : "no") | \(f.summary) |") }
        try Self.generated(Self.outputPath, begin: "<!-- BEGIN input-fields -->\n", end: "<!-- END input-fields -->",
                           fields.joined(separator: "\n") + "\n")
        var codes = ["| `error.code` | cause |", "| --- | --- |"]
        for c in InputError.Code.allCases { codes.append("| `\(c.rawValue)` | \(c.summary) |") }
        try Self.generated(Self.outputPath, begin: "<!-- BEGIN input-errors -->\n", end: "<!-- END input-errors -->",
                           codes.joined(separator: "\n") + "\n")
    }

    // Enums and field lists the document must share with the types.

    @Test func theMessageSchemaHasTheParsersFields() throws {
        let message = try Self.schema("Message")
        #expect(Self.keys(message["properties"]) == MessageRecord.fields.map(\.name))
        #expect(Self.strings(message["required"]) == MessageRecord.fields.filter(\.required).map(\.name))
    }

    @Test func enumsAreTheEnginesCases() throws {
        #expect(Self.strings(try Self.schema("Evidence")["properties"]?["kind"]?["enum"]) == TriageResult.Evidence.Kind.allCases.map(\.rawValue))
        #expect(Self.strings(try Self.schema("Route")["properties"]?["channel"]?["enum"]) == Channel.allCases.map(\.rawValue))
        #expect(Self.strings(try Self.schema("Complexity")["enum"]) == Complexity.allCases.map(\.rawValue))
        let screening = try Self.schema("Screening")["properties"]
        #expect(Set(Self.strings(screening?["decision"]?["enum"])) == Set(TriageResult.Screening.Decision.allCases.map(\.rawValue)))
        #expect(Self.strings(screening?["reason"]?["enum"]) == RejectReason.allCases.map(\.rawValue) + [nil])
        #expect(Self.keys(try Self.schema("Escalation")["properties"]) == EscalationFlag.allCases.map(\.rawValue) + ["reasons"])
        #expect(Self.strings(try Self.schema("Deadlines")["properties"]?["reply_working_days"]?["enum"])
                == [DeadlineRules.simpleReplyDays, DeadlineRules.complexReplyDays].map(String.init))
    }

    @Test func theRuleSetCountsAreTheRuleSets() async throws {
        let service = await makeService()
        let counts = try #require(service.store.current).ruleSet.counts.map(\.name)
        let schema = try Self.schema("RuleSetInfo")["properties"]?["counts"]
        #expect(Self.keys(schema?["properties"]) == counts)
        #expect(Self.strings(schema?["required"]).compactMap { $0 } == counts)
    }

    @Test func anUnexpectedErrorIsA500InternalError() {
        struct Surprise: Error {}
        let response = APIError.response(for: Surprise())
        #expect(response.status == .internalServerError)
        #expect(APIError.from(status: .methodNotAllowed).code == .notFound)
        #expect(APIError.from(status: .badRequest).code == .badRequest)
        #expect(APIError.from(status: .serviceUnavailable).code == .internalError)
    }
}
