// The README's library example, compiled by every build so that it cannot rot.
// Run: swift run library-example [RULES-FOLDER]
import Foundation
import TriageKit

let folder = CommandLine.arguments.dropFirst().first ?? "rules"
let loaded = RuleSetLoader.load(directory: folder)        // every problem collected, never thrown one by one
guard let ruleSet = loaded.ruleSet else {
    print(loaded.diagnostics)
    exit(1)
}
let engine = TriageEngine(ruleSet: ruleSet)                // immutable; share it across threads
let message = MessageRecord(text: "网站登录不上", id: .string("m1"), receivedAt: Timestamp.parse("2026-09-30T10:00"))
let result = engine.classify(message)
// Typed fields …
print(result.category?.rawValue ?? "none", result.lead?.name ?? "none", result.flags.vague, result.flags.multiDepartment)
print(result.screening.decision.rawValue, result.deadlines.replyDue?.description ?? "none")
for reason in result.reasons { print(reason.code.rawValue, reason.message) }
// … or the JSON contract.
print(result.json.serialized)
// Every rule that fired, the vetoes and the department scores.
let (_, why) = engine.explain(message)
print(why.fired.map(\.rule), why.departmentScores.map(\.department.name))
