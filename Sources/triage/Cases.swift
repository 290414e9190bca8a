public import ArgumentParser
import Foundation
import TriageCases
import TriageKit

extension IntakeChannel: ExpressibleByArgument {}
extension CaseStatus: ExpressibleByArgument {}
extension CaseFlag: ExpressibleByArgument {}

enum CSVOrJSON: String, ExpressibleByArgument, CaseIterable {
    case csv, json
}

struct Cases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The case store: intake, the worklist, decisions, and the exports for maintainers and 12345 (docs/cases.md).",
        subcommands: [Import.self, List.self, Show.self, Decide.self, Reply.self, Export.self, Overrides.self, Handoff.self,
                      Woodpecker.self])

    // MARK: import

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create cases from a JSON Lines file of messages, classifying each with the rule set.",
            discussion: """
                Each line is {"id", "text"} with optional "received_at", "dispatched_at" and "channel" \
                (online or window; default --channel), as for `triage classify --jsonl`. The id becomes the \
                case's message id. Cases are stored in batches of --batch-size, each batch one transaction: \
                a crash or kill leaves every committed batch intact. A bad line is reported as FILE:LINE and \
                left out (exit status 3). A message id already stored on the same channel fails its batch \
                (exit status 1; earlier batches stay) unless --skip-duplicates.
                """)

        @Argument(help: "The JSON Lines file ('-' for standard input).")
        var file: String

        @Option(name: .long, help: "Channel for lines without one: online or window.")
        var channel: IntakeChannel = .online

        @Option(name: .customLong("batch-size"), help: "Cases per transaction.")
        var batchSize = 500

        @Flag(name: .customLong("skip-duplicates"), help: "Skip messages whose id is already stored on the same channel.")
        var skipDuplicates = false

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var store: CaseStoreOptions

        func validate() throws {
            guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1…100000") }
        }

        func run() async throws {
            let bytes: [UInt8]
            if file == "-" {
                bytes = Output.readAllInput(limit: Int.max)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    Output.error("triage: cannot read \(file)")
                    throw ExitCode(1)
                }
                bytes = [UInt8](data)
            }
            let engine = TriageEngine(ruleSet: try rulesOptions.load())
            let s = try store.open()
            let started = Date()
            var batch: [NewCase] = []
            var created = 0, skipped = 0, bad = 0, lineNumber = 0
            func commit() async throws {
                guard !batch.isEmpty else { return }
                let outcomes: [IntakeOutcome]
                do {
                    outcomes = try await s.createCases(batch, duplicates: skipDuplicates ? .skip : .fail, by: CaseActor(system: "import"), at: Date())
                } catch let e as CaseStoreError {
                    Output.error("triage: \(file): the batch ending at line \(lineNumber) was not stored: \(e)")
                    Output.error("triage: \(created) case(s) created before it")
                    throw ExitCode(1)
                }
                for o in outcomes {
                    if case .created = o { created += 1 } else { skipped += 1 }
                }
                batch.removeAll(keepingCapacity: true)
            }
            for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                var line = Array(raw)
                if line.last == 0x0D { line.removeLast() }
                if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                let context: MessageRecord
                switch MessageRecord.parse(bytes: line) {
                case .success(let c):
                    context = c
                case .failure(let e):
                    bad += 1
                    Output.error("\(file):\(lineNumber): error: \(e.message) [\(e.code.rawValue)]")
                    continue
                }
                var lineChannel = channel
                // The record parsed, so the line is a JSON object.
                if let v = (try? JSONValue.parse(line))?["channel"], !v.isNull {
                    guard let name = v.string, let c = IntakeChannel(rawValue: name) else {
                        bad += 1
                        Output.error("\(file):\(lineNumber): error: \"channel\" must be \"online\" or \"window\" [invalid_field]")
                        continue
                    }
                    lineChannel = c
                }
                if context.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                    bad += 1
                    Output.error("\(file):\(lineNumber): error: empty \"text\" [invalid_field]")
                    continue
                }
                batch.append(NewCase(result: engine.classify(context), text: context.text, channel: lineChannel))
                if batch.count >= batchSize { try await commit() }
            }
            try await commit()
            let seconds = Date().timeIntervalSince(started)
            var summary = "triage: \(created) case(s) created"
            if skipped > 0 { summary += ", \(skipped) duplicate(s) skipped" }
            if bad > 0 { summary += ", \(bad) bad line(s) left out" }
            summary += String(format: " in %.2f s", seconds)
            Output.error(summary)
            if bad > 0 { throw ExitCode(3) }
        }
    }

    // MARK: list

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The worklist: cases awaiting pre-review by 预审截止 (overdue first), or any status, with filters.")

        @Option(name: .long, help: "awaiting_review (default), dispatched, rejected or replied.")
        var status: CaseStatus = .awaitingReview

        @Option(name: .long, help: "Only cases this department leads or co-handles (department id).")
        var department: String?

        @Option(name: .long, help: "Only this category id.")
        var category: String?

        @Option(name: .long, help: "Only cases with this flag: vague, multi_department, leader_report, coordination, woodpecker_candidate, needs_review, rejected, corrected.")
        var flag: CaseFlag?

        @Option(name: .long, help: "Only messages containing this text.")
        var search: String?

        @Flag(name: .long, help: "Only overdue cases.")
        var overdue = false

        @Option(name: .long, help: "Page size.")
        var limit = 50

        @Option(name: .long, help: "Cases to skip.")
        var offset = 0

        @Option(name: .long, help: "text or json.")
        var format: OutputFormat = .text

        @OptionGroup var store: CaseStoreOptions

        func run() async throws {
            let s = try store.open()
            let now = Date()
            let page: WorklistPage
            do {
                page = try await s.worklist(WorklistQuery(status: status, department: department, category: category, flag: flag,
                                                          text: search, overdueOnly: overdue, limit: limit, offset: offset), now: now)
            } catch let e as CaseStoreError {
                throw fail(e, code: 64)
            }
            switch format {
            case .json:
                Output.line(OrderedJSON.object([
                    ("total", .int(Int64(page.total))), ("overdue", .int(Int64(page.overdue))), ("offset", .int(Int64(page.offset))),
                    ("limit", .int(Int64(page.limit))), ("cases", .array(page.items.map { CaseJSON.summary($0, now: now) })),
                ]).pretty)
            case .text:
                var rows = [["id", "message", "received", "due", "left", "category", "lead", "screening", "flags", "text"]]
                for c in page.items {
                    let due = c.status == .dispatched ? c.replyDue : c.preReviewDue
                    rows.append([
                        String(c.id), c.messageID ?? "", String(CaseTime.iso(c.receivedAt).prefix(16)), due ?? "",
                        c.countdown(at: now).map(CaseText.countdown) ?? "", c.labels.category ?? "", c.labels.lead ?? "",
                        c.labels.screening.description, CaseText.flags(c.labels).joined(separator: ","), CaseText.excerpt(c.text, 24),
                    ])
                }
                Output.line(TextTable.render(rows, left: 10))
                Output.line("\(page.total) case(s) \(status.rawValue), \(page.overdue) overdue; showing \(page.offset + 1)–\(page.offset + page.items.count)")
            }
            Output.flush()
        }
    }

    // MARK: show

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One case as JSON: the case, the engine's full result, and its history.")

        @Argument(help: "The case id.")
        var id: Int64

        @OptionGroup var store: CaseStoreOptions

        func run() async throws {
            let s = try store.open()
            guard let c = try await s.record(id) else { throw fail(CaseStoreError.notFound(id)) }
            // The stored result is JSON already; it is embedded as it is.
            Output.line(CaseJSON.detail(c, history: try await s.history(id), now: Date()).pretty)
            Output.flush()
        }
    }

    // MARK: decide

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a pre-review decision: --accept the proposal, or correct fields with a --reason.",
            discussion: """
                A correction starts from the proposal and changes the fields given. Rejecting (--screening \
                reject:spam …) clears category, lead and co-handlers. The reply deadline is recounted from \
                today with the rule set's calendar. Example: \
                triage cases decide 12 --user zhangsan --lead market --co-handlers tax --reason "注销涉及税务".
                """)

        @Argument(help: "The case id.")
        var id: Int64

        @Option(name: .long, help: "The deciding user (must exist and not be disabled).")
        var user: String

        @Flag(name: .long, help: "Accept the proposal as it is.")
        var accept = false

        @Option(name: .long, help: "Corrected category id (or 'none').")
        var category: String?

        @Option(name: .long, help: "Corrected lead department id (or 'none').")
        var lead: String?

        @Option(name: .customLong("co-handlers"), help: "Corrected co-handlers, comma-separated ('' for none).")
        var coHandlers: String?

        @Option(name: .long, help: "accept, needs_review or reject:<spam|abuse|gibberish|off_topic>.")
        var screening: String?

        @Option(name: .long, help: "Set flags: vague, multi_department, leader_report, coordination, woodpecker_candidate (comma-separated).")
        var set: String?

        @Option(name: .long, help: "Clear flags (comma-separated, same names).")
        var clear: String?

        @Option(name: .long, help: "Why (required for a correction).")
        var reason: String?

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var store: CaseStoreOptions

        static let flagNames = ["vague", "multi_department", "leader_report", "coordination", "woodpecker_candidate"]

        var corrects: Bool { category != nil || lead != nil || coHandlers != nil || screening != nil || set != nil || clear != nil }

        func validate() throws {
            if accept == corrects { throw ValidationError("give either --accept or the fields to correct") }
            if corrects && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("a correction needs --reason")
            }
            if let screening, ScreeningLabel(screening) == nil {
                throw ValidationError("--screening '\(screening)' is not accept, needs_review or reject:<spam|abuse|gibberish|off_topic>")
            }
            for list in [set, clear].compactMap({ $0 }) {
                for f in list.split(separator: ",") where !Self.flagNames.contains(String(f)) {
                    throw ValidationError("unknown flag '\(f)' (\(Self.flagNames.joined(separator: ", ")))")
                }
            }
        }

        func run() async throws {
            let ruleSet = try rulesOptions.load()
            let s = try store.open()
            guard let stored = try await s.storedUser(named: user), !stored.user.disabled else {
                throw fail(AccountError.notFound(user))
            }
            guard let c = try await s.record(id) else { throw fail(CaseStoreError.notFound(id)) }
            let now = Date()
            let replyDue = CaseProposal.replyDue(dispatchedAt: now, complexity: c.proposal.complexity, ruleSet: ruleSet)
            var decision = CaseDecision.accept(reason: reason, replyDue: replyDue)
            if corrects {
                var l = c.proposal.labels
                if let category { l.category = category == "none" ? nil : category }
                if let lead { l.lead = lead == "none" ? nil : lead }
                if let coHandlers { l.coHandlers = coHandlers.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                if let screening { l.screening = ScreeningLabel(screening)! }
                for (list, value) in [(set, true), (clear, false)] {
                    for f in (list ?? "").split(separator: ",") {
                        switch f {
                        case "vague": l.vague = value
                        case "multi_department": l.multiDepartment = value
                        case "leader_report": l.leaderReport = value
                        case "coordination": l.coordination = value
                        default: l.woodpeckerCandidate = value
                        }
                    }
                }
                decision = .correct(l, reason: reason!, replyDue: replyDue)
            }
            do {
                let after = try await s.decide(id, decision, by: stored.user.actor, at: now, vocabulary: CaseVocabulary(ruleSet: ruleSet))
                let changed = after.labels.changedFields(from: after.proposal.labels)
                Output.error("triage: case \(id) \(after.status.rawValue)" + (changed.isEmpty ? " (proposal accepted)" : " (changed: \(changed.joined(separator: ", ")))")
                             + (after.status == .dispatched ? "; reply due \(after.replyDue ?? "unknown")" : ""))
            } catch let e as CaseStoreError {
                throw fail(e)
            }
        }
    }

    // MARK: reply

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that the department replied to a dispatched case.")

        @Argument(help: "The case id.")
        var id: Int64

        @Option(name: .long, help: "The recording user.")
        var user: String

        @Option(name: .long, help: "A note for the history.")
        var note: String?

        @OptionGroup var store: CaseStoreOptions

        func run() async throws {
            let s = try store.open()
            guard let stored = try await s.storedUser(named: user), !stored.user.disabled else { throw fail(AccountError.notFound(user)) }
            do {
                _ = try await s.markReplied(id, by: stored.user.actor, at: Date(), note: note)
                Output.error("triage: case \(id) replied")
            } catch let e as CaseStoreError {
                throw fail(e)
            }
        }
    }

    // MARK: export

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write cases as a labelled corpus (corpus/README.md) for `triage test`, `diff` and `stats`.",
            discussion: """
                Labels come from the staff decision. Cases not decided yet are written without labels \
                (tag `undecided`) unless --decided-only. Mobile and landline numbers, ID-card and bank-card \
                numbers, e-mail addresses and licence plates are replaced by placeholders (〔手机号〕 …) \
                unless --no-redact. A summary goes to standard error.
                """)

        @Option(name: .long, help: "Only cases decided on or after this day (YYYY-MM-DD, Asia/Shanghai); undecided: received.")
        var since: String?

        @Flag(name: .customLong("decided-only"), help: "Only decided cases (accepted or corrected).")
        var decidedOnly = false

        @Flag(name: .customLong("no-redact"), help: "Keep personal details in the text (the export then holds personal data).")
        var noRedact = false

        @Option(name: .shortAndLong, help: "Write to FILE instead of standard output.")
        var output: String?

        @OptionGroup var store: CaseStoreOptions

        func validate() throws { if let since { _ = try parseDay(since, "--since") } }

        func run() async throws {
            let s = try store.open()
            let selection = CaseSelection(decidedOnly: decidedOnly, since: try since.map { try parseDay($0, "--since") })
            var text = ""
            let summary = try await CorpusExport(redact: !noRedact).run(s, selection) { text += $0 + "\n" }
            try emit(text, to: output)
            let kinds = summary.redactions.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
            Output.error("triage: exported \(summary.cases) case(s): \(summary.decided) decided (\(summary.corrected) corrected), "
                         + "\(summary.cases - summary.decided) undecided; "
                         + (noRedact ? "NOT redacted" : "redacted: " + (kinds.isEmpty ? "nothing found" : kinds.joined(separator: ", "))))
        }
    }

    // MARK: overrides

    struct Overrides: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Where staff overrode the engine most: by field, by department pair and by rule.",
            discussion: """
                Over decided cases. A proposal counts as overridden when staff changed its category, lead, \
                co-handlers or screening; each id in its evidence (rules, items, cues, departments) is charged \
                with it. Department names come from the rule set.
                """)

        @Option(name: .long, help: "Only cases decided on or after this day (YYYY-MM-DD).")
        var since: String?

        @Option(name: .long, help: "text or json.")
        var format: OutputFormat = .text

        @Option(name: .long, help: "Rows per table in text output.")
        var top = 20

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var store: CaseStoreOptions

        func validate() throws { if let since { _ = try parseDay(since, "--since") } }

        func run() async throws {
            let names = CaseVocabulary(ruleSet: try rulesOptions.load()).departmentNames
            let s = try store.open()
            let cases = try await s.allCases(CaseSelection(decidedOnly: true, since: try since.map { try parseDay($0, "--since") }))
            let report = OverridesReport(cases: cases, departmentNames: names)
            Output.line(format == .json ? report.json.pretty : report.text(top: top))
            Output.flush()
        }
    }

    // MARK: handoff

    struct Handoff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The 12345 hand-off: dispatched cases awaiting a reply, with handler, co-handlers and deadlines.",
            discussion: "CSV is UTF-8 with a byte-order mark for Excel; cells that start with = + - @ are prefixed with '.")

        @Option(name: .long, help: "csv or json.")
        var format: CSVOrJSON = .csv

        @Option(name: .long, help: "Only cases dispatched on or after this day (YYYY-MM-DD).")
        var since: String?

        @Option(name: .shortAndLong, help: "Write to FILE instead of standard output.")
        var output: String?

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var store: CaseStoreOptions

        func validate() throws { if let since { _ = try parseDay(since, "--since") } }

        func run() async throws {
            let names = CaseVocabulary(ruleSet: try rulesOptions.load()).departmentNames
            let s = try store.open()
            let cases = try await s.allCases(CaseSelection(decidedOnly: true, statuses: [.dispatched],
                                                           since: try since.map { try parseDay($0, "--since") }))
            let export = HandoffExport(departmentNames: names)
            try emit(format == .csv ? export.csv(cases) : export.json(cases).pretty + "\n", to: output)
            Output.error("triage: \(cases.count) dispatched case(s)")
        }
    }

    // MARK: woodpecker

    struct Woodpecker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The year's 啄木鸟 candidates confirmed by staff, for the annual collection.")

        @Option(name: .long, help: "The year of receipt (default: this year, Asia/Shanghai).")
        var year: Int?

        @Option(name: .long, help: "json or csv.")
        var format: CSVOrJSON = .json

        @Flag(name: .customLong("no-redact"), help: "Keep personal details in the text.")
        var noRedact = false

        @Option(name: .shortAndLong, help: "Write to FILE instead of standard output.")
        var output: String?

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var store: CaseStoreOptions

        func run() async throws {
            let y = year ?? CaseTime.year(CaseTime.seconds(Date()))
            let names = CaseVocabulary(ruleSet: try rulesOptions.load()).departmentNames
            let s = try store.open()
            let cases = try await s.allCases(CaseSelection(decidedOnly: true, statuses: [.dispatched, .replied], receivedYear: y,
                                                           woodpeckerOnly: true))
            let export = WoodpeckerExport(departmentNames: names, redact: !noRedact)
            try emit(format == .csv ? export.csv(cases) : export.json(cases, year: y).pretty + "\n", to: output)
            Output.error("triage: \(cases.count) 啄木鸟 case(s) confirmed in \(y)")
        }
    }
}

/// Text pieces of the case commands (the JSON is the library's ``CaseJSON``).
enum CaseText {
    static func flags(_ l: CaseLabels) -> [String] {
        var out: [String] = []
        if l.vague { out.append("vague") }
        if l.multiDepartment { out.append("multi") }
        if l.leaderReport { out.append("report") }
        if l.coordination { out.append("coord") }
        if l.woodpeckerCandidate { out.append("woodpecker") }
        return out
    }

    /// `3h12m` left, or `-1d2h` overdue.
    static func countdown(_ seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : ""
        let s = abs(seconds)
        let d = s / 86_400, h = s % 86_400 / 3600, m = s % 3600 / 60
        return sign + (d > 0 ? "\(d)d\(h)h" : "\(h)h\(m)m")
    }

    static func excerpt(_ text: String, _ n: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= n ? flat : String(flat.prefix(n)) + "…"
    }
}
