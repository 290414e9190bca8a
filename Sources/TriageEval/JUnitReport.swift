import TriageKit

/// JUnit XML for CI systems: one test suite per corpus file with one test case per
/// message, and a `thresholds` suite with one case per threshold. Known false positives are skipped cases.
public enum JUnitReport {
    /// Escapes text for XML content and attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // XML 1.0 forbids most control characters.
                if u.value < 0x20 && u != "\n" && u != "\t" && u != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// The report.
    public static func render(_ run: TestRun) -> String {
        var failing: [String: FailingCase] = [:]
        for c in run.failures + run.knownFailures { failing[c.message.id] = c }
        var byFile: [(String, [LabelledMessage])] = []
        // Held-out messages are never named: each held-out part is one suite of aggregates.
        for m in run.messages where run.policy.shows(m) {
            if let i = byFile.firstIndex(where: { $0.0 == m.path }) { byFile[i].1.append(m) } else { byFile.append((m.path, [m])) }
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = run.failures.count + run.checks.filter { !$0.passed }.count
        let shownCount = byFile.reduce(0) { $0 + $1.1.count }
        out += "<testsuites name=\"triage test\" tests=\"\(shownCount + run.checks.count)\" failures=\"\(failures)\">\n"
        for (file, messages) in byFile {
            let f = messages.filter { failing[$0.id].map { $0.knownBy.isEmpty } ?? false }.count
            let s = messages.filter { failing[$0.id].map { !$0.knownBy.isEmpty } ?? false }.count
            out += "  <testsuite name=\"\(escape(file))\" tests=\"\(messages.count)\" failures=\"\(f)\" skipped=\"\(s)\">\n"
            for m in messages {
                out += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(m.id))\" file=\"\(escape(file))\" line=\"\(m.line)\""
                guard let c = failing[m.id] else {
                    out += "/>\n"
                    continue
                }
                out += ">\n"
                let summary = c.mismatches.map { "\($0.field): expected \($0.expected), got \($0.actual)" }.joined(separator: "; ")
                if c.knownBy.isEmpty {
                    out += "      <failure message=\"\(escape(summary))\" type=\"mismatch\">\(escape(TextReport.failing(c)))</failure>\n"
                } else {
                    out += "      <skipped message=\"known false positive of \(escape(c.knownBy.joined(separator: ", "))): \(escape(summary))\"/>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        if !run.policy.reveal {
            for p in run.heldOutParts {
                out += "  <testsuite name=\"\(escape(p.name)) (held out: aggregates only)\" tests=\"0\" failures=\"0\">\n"
                out += "    <properties><property name=\"messages\" value=\"\(p.messages)\"/><property name=\"failing\" value=\"\(p.failing)\"/>"
                if let a = p.categoryAccuracy { out += "<property name=\"category.accuracy\" value=\"\(fmt(a))\"/>" }
                if let a = p.leadAccuracy { out += "<property name=\"lead.accuracy\" value=\"\(fmt(a))\"/>" }
                out += "</properties>\n  </testsuite>\n"
            }
        }
        if !run.checks.isEmpty {
            out += "  <testsuite name=\"thresholds\" tests=\"\(run.checks.count)\" failures=\"\(run.checks.filter { !$0.passed }.count)\">\n"
            for c in run.checks {
                out += "    <testcase classname=\"thresholds.\(escape(c.scope))\" name=\"\(escape(c.metric))\""
                if c.passed {
                    out += "/>\n"
                } else {
                    let v = c.value.map(fmt) ?? "missing"
                    out += ">\n      <failure message=\"\(escape(c.metric)) is \(v), below the minimum \(fmt(c.min))\" type=\"threshold\"/>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }
}
