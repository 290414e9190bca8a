import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import TriageCases
import TriageKit

/// `GET /v1/ruleset/glossary`: what the page needs to speak Chinese about the rule set: each rule's
/// description by the evidence kind that cites it (`category`, `cue`, `screening`, `escalation`),
/// the items and combined matters (`item` evidence) and the departments (`department` evidence)
/// with their names and aliases, for the department search of a correction, and the topics
/// (`topic` evidence) with their names. No personal data, so it
/// is as open as `/v1/ruleset`. Built once per rule-set version.
final class Glossary: Sendable {
    private let cache = NIOLockedValueBox<(version: String, body: String)?>(nil)

    func response(_ snapshot: RuleSetSnapshot) -> Response {
        let body: String
        if let cached = cache.withLockedValue({ $0 }), cached.version == snapshot.version {
            body = cached.body
        } else {
            body = Self.json(snapshot.ruleSet).serialized + "\n"
            cache.withLockedValue { $0 = (snapshot.version, body) }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .rulesetVersion: snapshot.version, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ rs: RuleSet) -> OrderedJSON {
        var rules: [String: [(String, OrderedJSON)]] = [:]
        for r in rs.allRules {
            let kind: TriageResult.Evidence.Kind = switch r.kind {
            case .classification: .category
            case .cue: .cue
            case .screening: .screening
            case .escalation: .escalation
            }
            rules[kind.rawValue, default: []].append((r.core.id, .string(r.core.description)))
        }
        let ruleKinds: [TriageResult.Evidence.Kind] = [.category, .cue, .screening, .escalation]
        return .object([
            ("version", .string(rs.version)),
            ("categories", .array(rs.categories.map {
                .object([("id", .string($0.id.rawValue)), ("name", .string($0.name)), ("description", .string($0.description))])
            })),
            ("departments", .array(rs.departments.map {
                .object([
                    ("id", .string($0.id.rawValue)), ("name", .string($0.name)), ("full_name", .string($0.fullName)),
                    ("aliases", .array($0.aliases.map(OrderedJSON.string))),
                ])
            })),
            ("items", .array(rs.items.map {
                .object([
                    ("id", .string($0.id)), ("name", .string($0.name)), ("department", .string($0.department.rawValue)),
                    ("aliases", .array($0.aliases.map { .string($0.text) })),
                ])
            })),
            ("combined", .array(rs.combined.map {
                .object([
                    ("id", .string($0.id)), ("name", .string($0.name)), ("lead", .string($0.lead.rawValue)),
                    ("departments", .array($0.departments.map { .string($0.rawValue) })),
                ])
            })),
            ("topics", .array(rs.topics.map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("description", .string($0.description))])
            })),
            ("rules", .object(ruleKinds.map { ($0.rawValue, .object(rules[$0.rawValue] ?? [])) })),
        ])
    }
}
