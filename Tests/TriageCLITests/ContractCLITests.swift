import Foundation
import Testing
import TriageKit

#if canImport(Glibc)
import Glibc
#endif

/// The contract from the outside: the CLI and the server give the same object for the same
/// record, ids keep their digits, `--version` names the bundled rules, `check` watches the
/// calendar's end. (Every real response is also validated against docs/openapi.yaml by
/// scripts/contract.py in scripts/qa-ci.sh.)
@Suite(.serialized) struct ContractCLITests {
    static let records = [
        #"{"id": 9007199254740993, "text": "营业执照注销需要什么材料？", "received_at": "2026-12-28T10:00:00+08:00"}"#,
        #"{"id": 12345678901234567890, "text": "一网通办登录不上", "received_at": "2026-12-28T10:00"}"#,
        #"{"id": 1234567890123456, "text": "小区消防通道被电动车堵死了，第五次反映了还是没人管", "received_at": "2026-09-30T10:00:00Z"}"#,
        #"{"id": 12345678901234567, "text": "网上办事大厅一直登录不上", "received_at": "2026-09-30T10:00", "dispatched_at": "2026-10-09T09:00"}"#,
        #"{"id": 123456789012345678, "text": "加微信领取免费代办，日赚五百，名额有限", "received_at": "2026-12-31"}"#,
        #"{"id": 1234567890123456789, "text": "建议在张江多设几个自助办税机", "received_at": "2026-12-24T18:00:00+08:00"}"#,
        #"{"id": "WO-0001", "text": "两个部门互相踢皮球，谁都不管", "received_at": "2026-12-21T09:00:00+08:00"}"#,
    ]

    @Test func httpRepliesAreTheCLIsLinesForTheSameRecords() async throws {
        let cli = try CLI.run(["classify", "--rules", CLI.bundledRulesPath, "--jsonl"], stdin: Array((Self.records.joined(separator: "\n") + "\n").utf8))
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.lines.count == Self.records.count)
        let server = try ServerProcess(arguments: ["--rules", CLI.bundledRulesPath])
        for (record, line) in zip(Self.records, cli.lines) {
            let (status, _, data) = try await server.raw("/v1/triage", method: "POST", body: record)
            #expect(status == 200)
            #expect(String(decoding: data, as: UTF8.self) == line + "\n", "\(record)")
        }
        let (_, _, batch) = try await server.raw("/v1/triage/batch", method: "POST", body: #"{"messages": [\#(Self.records.joined(separator: ","))]}"#)
        let results = try #require(try JSONValue.parse(Array(batch))["results"]?.array)
        #expect(results.map(\.serialized) == cli.lines)
        // Digit for digit, a JSON number id: over the CLI and over HTTP.
        for (record, line) in zip(Self.records, cli.lines) {
            let id = try #require(record.split(separator: ",").first?.dropFirst(#"{"id": "#.count))
            #expect(line.hasPrefix(#"{"id":\#(id),"#), "\(id) came back as \(line.prefix(40))")
        }
        // The 28 December message counts 2027 provisionally, on both.
        let first = try JSONValue.parse(Array(cli.lines[0].utf8))
        #expect(first["deadlines"]?["provisional"]?["years"] == .array([.number(2027)]))
        server.signal(SIGTERM)
        server.process.waitUntilExit()
    }

    @Test func anInvalidTimeIsAnInvalidFieldErrorLineNamingTheField() throws {
        let input = #"{"id": 12345678901234567890, "text": "x", "received_at": "2026-12-32"}"# + "\n"
            + #"{"id": 2, "text": "x", "received_at": "2026-10-09T10:00", "dispatched_at": "2026-10-01T10:00"}"# + "\n"
        let r = try CLI.run(["classify", "--rules", CLI.bundledRulesPath, "--jsonl"], stdin: Array(input.utf8))
        #expect(r.status == 3)
        #expect(r.lines.count == 2)
        #expect(r.lines[0].hasPrefix(#"{"id":12345678901234567890,"error":{"code":"invalid_field""#))
        #expect(r.lines[0].contains(#""field":"received_at","line":1}"#))
        #expect(r.lines[1].contains(#""code":"invalid_field""#) && r.lines[1].contains(#""field":"dispatched_at","line":2}"#))
        let flags = try CLI.run(["classify", "--rules", CLI.bundledRulesPath, "--received-at", "2026-10-09T10:00",
                                 "--dispatched-at", "2026-10-01T10:00", "x"])
        #expect(flags.status != 0 && flags.stderr.contains("--dispatched-at is before --received-at"))
    }

    @Test func versionNamesTheToolAndTheBundledRuleSetAsTheLoaderDoes() throws {
        let v = try CLI.run(["--version"])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.lines.first?.hasPrefix("triage ") == true)
        // The bundled rules are used outside a folder with rules/ and without TRIAGE_RULES.
        let r = try CLI.run(["classify", "--format", "json", "x"])
        let ruleset = try #require(try CLI.json(r.stdout)["ruleset"] as? [String: Any])
        let version = try #require(ruleset["version"] as? String)
        #expect(v.lines.count >= 2 && v.lines[1].hasPrefix("bundled rules \(version) ("), "\(v.stdout)")
        #expect(v.stdout.contains("working-day calendar 2023–"))
        // Run from the checkout, the folder's own rules give the same version as the bundled copy.
        let folder = try CLI.run(["classify", "--rules", CLI.bundledRulesPath, "--format", "json", "x"])
        #expect((try CLI.json(folder.stdout)["ruleset"] as? [String: Any])?["version"] as? String == version)
    }

    @Test func checkWarnsWhenTheCalendarEndsWithinTheHorizon() throws {
        let always = try CLI.run(["check", "--rules", CLI.bundledRulesPath, "--calendar-horizon", "100000"])
        #expect(always.status == 0)
        #expect(always.stdout.contains("warning: the working-day calendar ends on") || always.stdout.contains("warning: the working-day calendar ended on"))
        #expect(always.stdout.contains("[calendar-horizon]") && always.stdout.contains(".yaml with the days off"))
        let strict = try CLI.run(["check", "--rules", CLI.bundledRulesPath, "--strict", "--calendar-horizon", "100000"])
        #expect(strict.status == 2)
        let allowed = try CLI.run(["check", "--rules", CLI.bundledRulesPath, "--strict", "--calendar-horizon", "100000",
                                   "--allow-warning", "calendar-horizon"])
        #expect(allowed.status == 0, "\(allowed.stdout)")
        #expect(allowed.stdout.contains("(1 allowed by --allow-warning)"))
        let off = try CLI.run(["check", "--rules", CLI.bundledRulesPath, "--strict", "--calendar-horizon", "0"])
        #expect(off.status == 0 && !off.stdout.contains("calendar-horizon"))
        let json = try CLI.run(["check", "--rules", CLI.bundledRulesPath, "--format", "json", "--calendar-horizon", "100000"])
        #expect(json.stdout.contains(#""code" : "calendar-horizon""#) || json.stdout.contains(#""code": "calendar-horizon""#))
    }
}
