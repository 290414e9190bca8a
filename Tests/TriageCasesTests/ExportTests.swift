import Foundation
import Testing
import TriageCases
import TriageEval
import TriageKit

@Suite struct ExportTests {
    /// Three cases from real classifications: one accepted, one corrected, one left undecided.
    func populated() async throws -> (TempStore, User) {
        let t = try TempStore()
        let user = try await Accounts(store: t.store, cost: 4).addUser(username: "zhangsan", displayName: "张三", password: "password-1", role: .staff)
        let texts = [
            "营业执照注销需要什么材料？我的电话13812345678",
            "楼下饭店油烟扰民，车牌沪A12345的车天天占道，街道说归城管，城管说归街道",
            "建议区行政服务中心周六也开放几个窗口，方便上班族",
        ]
        let cases = texts.enumerated().map { i, text in
            let result = Rules.engine.classify(MessageRecord(text: text, id: .string("m\(i + 1)"), receivedAt: Timestamp.parse("2026-11-30T09:30:00+08:00")))
            return NewCase(result: result, text: text, channel: i == 2 ? .window : .online)
        }
        _ = try await t.store.createCases(cases, duplicates: .fail, by: CaseActor(system: "import"), at: Clock.monday)
        _ = try await t.store.decide(1, .accept(), by: user.actor, at: Clock.at("2026-11-30", hour: 11), vocabulary: nil)
        var corrected = try #require(try await t.store.record(2)).proposal.labels
        corrected.category = "complaint"
        corrected.lead = "admin_service_center"
        corrected.coHandlers = ["street_town", "city_management"]
        corrected.coordination = true
        corrected.multiDepartment = true
        _ = try await t.store.decide(2, .correct(corrected, reason: "部门推诿，由中心协调"), by: user.actor,
                                     at: Clock.at("2026-11-30", hour: 15), vocabulary: CaseVocabulary(ruleSet: Rules.ruleSet))
        return (t, user)
    }

    @Test func exportIsACorpusWithStaffLabels() async throws {
        let (t, _) = try await populated()
        var lines: [String] = []
        let summary = try await CorpusExport().run(t.store, CaseSelection()) { lines.append($0) }
        #expect(summary.cases == 3 && summary.decided == 2 && summary.corrected == 1)
        #expect(summary.redactions == [.mobile: 1, .plate: 1])
        let file = t.dir.appendingPathComponent("export.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)

        // The project's corpus loader reads it, with no diagnostics, and every label is known to the rule set.
        let corpus = CorpusLoader.load([file.path])
        #expect(corpus.diagnostics.sorted.isEmpty, "\(corpus.diagnostics.sorted)")
        let (valid, labelErrors) = CorpusLoader.validate(corpus.messages, against: Rules.ruleSet)
        #expect(labelErrors.isEmpty && valid.count == 3)
        let byID = Dictionary(uniqueKeysWithValues: corpus.messages.map { ($0.id, $0) })

        let accepted = try #require(byID["case-1"])
        let proposal1 = try #require(try await t.store.record(1)).proposal.labels
        #expect(accepted.expected.category?.rawValue == proposal1.category && accepted.expected.lead?.rawValue == proposal1.lead)
        #expect(accepted.text == "营业执照注销需要什么材料？我的电话〔手机号〕", "redacted by default")
        #expect(accepted.tags == ["staff_accepted", "channel_online"])
        #expect(accepted.receivedAt == Timestamp.parse("2026-11-30T09:30:00+08:00"))

        let corrected = try #require(byID["case-2"])
        #expect(corrected.expected.category == "complaint")
        #expect(corrected.expected.lead == "admin_service_center")
        #expect(corrected.expected.coHandlers == ["street_town", "city_management"])
        #expect(corrected.expected.multiDepartment == true)
        #expect(corrected.expected.raw["escalation"]?["coordination"]?.bool == true)
        #expect(corrected.expected.raw["screening"]?.string == "accept")
        #expect(corrected.text.contains("〔车号〕") && !corrected.text.contains("沪A12345"))
        #expect(corrected.tags.first == "staff_corrected")

        // The undecided case has no labels, so `triage test` scores nothing for it.
        let undecided = try #require(byID["case-3"])
        #expect(!undecided.expected.labelled && !undecided.expected.hasCategory)
        #expect(undecided.tags == ["undecided", "channel_window"])
        #expect(LabelField.standard.allSatisfy { $0.expected(undecided) == nil })

        // Provenance.
        let first = try JSONValue.parse(lines[1])
        #expect(first["provenance"]?["case_id"]?.number == 2)
        #expect(first["provenance"]?["decided_by"]?.string == "zhangsan")
        #expect(first["provenance"]?["decided_at"]?.string == "2026-11-30T15:00:00+08:00")
        #expect(first["provenance"]?["decision"]?.string == "correct")
        #expect(first["provenance"]?["ruleset_version"]?.string == Rules.ruleSet.version)
        #expect(first["provenance"]?["message_id"]?.string == "m2")
    }

    @Test func exportSelections() async throws {
        let (t, _) = try await populated()
        func ids(_ selection: CaseSelection, redact: Bool = true) async throws -> [String] {
            var out: [String] = []
            _ = try await CorpusExport(redact: redact).run(t.store, selection) { out.append($0) }
            return try out.map { try JSONValue.parse($0)["id"]!.string! }
        }
        #expect(try await ids(CaseSelection(decidedOnly: true)) == ["case-1", "case-2"])
        #expect(try await ids(CaseSelection(decidedOnly: true, since: CaseTime.seconds(Clock.at("2026-11-30", hour: 12)))) == ["case-2"])
        var raw: [String] = []
        _ = try await CorpusExport(redact: false).run(t.store, CaseSelection(decidedOnly: true)) { raw.append($0) }
        #expect(raw[0].contains("13812345678"), "--no-redact keeps the text")
    }

    @Test func overridesReport() async throws {
        let (t, _) = try await populated()
        let cases = try await t.store.allCases(CaseSelection(decidedOnly: true))
        let report = OverridesReport(cases: cases, departmentNames: CaseVocabulary(ruleSet: Rules.ruleSet).departmentNames)
        #expect(report.decided == 2 && report.accepted == 1 && report.corrected == 1)
        let proposed = cases[1].proposal.labels
        #expect(report.fields.first { $0.name == "lead" }?.changed == (proposed.lead == "admin_service_center" ? 0 : 1))
        #expect(report.fields.first { $0.name == "category" }?.changed == (proposed.category == "complaint" ? 0 : 1))
        if proposed.lead != "admin_service_center" {
            #expect(report.leads == [.init(from: proposed.lead ?? "none", to: "admin_service_center", count: 1)])
            #expect(report.text().contains("区行政服务中心 (admin_service_center)"))
        }
        // Every evidence id of the corrected proposal counts as overridden when the route changed; the accepted one's never.
        let routeChanged = proposed.lead != "admin_service_center" || proposed.category != "complaint" || proposed.screening != .accept
            || Set(proposed.coHandlers) != ["street_town", "city_management"]
        for rule in cases[1].proposal.evidenceRules {
            #expect(report.rules.first { $0.rule == rule }?.overridden == (routeChanged ? 1 : nil), "\(rule)")
        }
        for rule in Set(cases[0].proposal.evidenceRules).subtracting(cases[1].proposal.evidenceRules) {
            #expect(report.rules.first { $0.rule == rule } == nil)
        }
        let json = try JSONValue.parse(report.json.serialized)
        #expect(json["decided"]?.number == 2 && json["fields"]?["co_handlers"] != nil)
    }

    @Test func csvCellsCannotBeFormulas() {
        #expect(CSVWriter.cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSVWriter.cell("+86 138") == "'+86 138")
        #expect(CSVWriter.cell("-1") == "'-1")
        #expect(CSVWriter.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.cell("\tcmd") == "'\tcmd")
        #expect(CSVWriter.cell("\r\n=1") == "\"'\r\n=1\"")
        #expect(CSVWriter.cell("区市场监管局") == "区市场监管局")
        #expect(CSVWriter.cell("a,b") == "\"a,b\"")
        #expect(CSVWriter.cell("line\nbreak") == "\"line\nbreak\"")
        var w = CSVWriter(header: ["a", "b"])
        w.row(["=1+1", "ok"])
        #expect(w.text == "\u{FEFF}a,b\r\n'=1+1,ok\r\n")
        #expect(Array(w.text.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark for Excel")
    }

    @Test func handoffListsDispatchedCasesWithHandlersAndDeadlines() async throws {
        let (t, _) = try await populated()
        let dispatched = try await t.store.allCases(CaseSelection(decidedOnly: true, statuses: [.dispatched]))
        #expect(dispatched.map(\.id) == [1, 2])
        let export = HandoffExport(departmentNames: CaseVocabulary(ruleSet: Rules.ruleSet).departmentNames)
        let csv = export.csv(dispatched)
        let rows = csv.dropFirst().split(separator: "\r\n").map(String.init)
        #expect(rows[0] == HandoffExport.columns.joined(separator: ","))
        #expect(rows[2].hasPrefix("2,m2,online,2026-11-30T09:30:00+08:00,2026-11-30T15:00:00+08:00,complaint,admin_service_center,区行政服务中心,street_town;city_management,"))
        #expect(!csv.contains("油烟"), "no message text in the hand-off")
        let json = try JSONValue.parse(export.json(dispatched).serialized)
        #expect(json["cases"]?.array?.count == 2)
        #expect(json["cases"]?.array?[1]["handler"]?["name"]?.string == "区行政服务中心")
        #expect(json["cases"]?.array?[1]["reply_due"]?.string == dispatched[1].replyDue)
        #expect(dispatched[1].replyDue != nil && dispatched[1].preReviewDue == "2026-12-01")
    }

    @Test func woodpeckerListHasTheConfirmedCandidatesOfTheYear() async throws {
        let (t, user) = try await populated()
        var labels = try #require(try await t.store.record(3)).proposal.labels
        labels.woodpeckerCandidate = true
        _ = try await t.store.decide(3, labels == (try await t.store.record(3))!.proposal.labels ? .accept() : .correct(labels, reason: "具体可行"),
                                     by: user.actor, at: Clock.monday, vocabulary: nil)
        let cases = try await t.store.allCases(CaseSelection(decidedOnly: true, statuses: [.dispatched, .replied], receivedYear: 2026, woodpeckerOnly: true))
        #expect(cases.map(\.id) == [3])
        #expect(try await t.store.allCases(CaseSelection(decidedOnly: true, receivedYear: 2025, woodpeckerOnly: true)).isEmpty)
        let json = try JSONValue.parse(WoodpeckerExport().json(cases, year: 2026).serialized)
        #expect(json["year"]?.number == 2026)
        #expect(json["cases"]?.array?[0]["text"]?.string?.hasPrefix("建议区行政服务中心周六") == true)
        #expect(WoodpeckerExport().csv(cases).hasPrefix("\u{FEFF}case_id,"))
    }
}
