import Foundation
public import TriageKit

/// `triage suggest`: candidate aliases and topic words for the misses of a labelled corpus,
/// for a person to review. Never applied automatically.
///
/// For every message whose lead (or category) the engine got wrong, the character n-grams
/// of its text (2–4 Chinese characters) are collected under the label it should have had.
/// A candidate's support is how many such misses contain it; its precision is how often a
/// message of the whole corpus containing it carries that label. Candidates already known
/// for the label (an alias of one of its items or of the department, or a word of one of its
/// topics) are left out.
package enum Suggest {
    /// One candidate.
    package struct Candidate: Sendable {
        /// The label the n-gram argues for: a department id or a category id.
        package var label: String
        /// Lead or category.
        package var field: String
        /// The n-gram.
        package var text: String
        /// Misses of that label containing it.
        package var support: Int
        /// Share of all corpus messages containing it that carry the label.
        package var precision: Double
        /// Corpus messages containing it.
        package var occurrences: Int
    }

    /// The candidates, best first per label: support × precision.
    package static func candidates(_ ruleSet: RuleSet, messages: [LabelledMessage], outcomes: [Outcome],
                                   minSupport: Int = 2, minPrecision: Double = 0.6, perLabel: Int = 8) -> [Candidate] {
        let grams = messages.map { Set(ngrams(normalizePhrase($0.text))) }
        var byGram: [String: [Int]] = [:]
        for (i, g) in grams.enumerated() { for x in g { byGram[x, default: []].append(i) } }
        var known: [String: Set<String>] = [:]
        for item in ruleSet.items { known[item.department.rawValue, default: []].formUnion(item.aliases.map(\.normalized)) }
        for d in ruleSet.departments { known[d.id.rawValue, default: []].formUnion(d.aliases.map(normalizePhrase)) }
        for t in ruleSet.topics {
            let words = Set(t.entries.compactMap(\.normalized))
            for d in t.departments { known[d.department.rawValue, default: []].formUnion(words) }
            for c in t.categories { known[c.category.rawValue, default: []].formUnion(words) }
        }
        var out: [Candidate] = []
        for field in ["lead", "category"] {
            func label(_ m: LabelledMessage) -> String? {
                field == "lead" ? m.expected.lead?.rawValue : (m.expected.hasCategory ? m.expected.category?.rawValue : nil)
            }
            var support: [String: [String: Int]] = [:]
            for (i, (m, o)) in zip(messages, outcomes).enumerated() {
                guard let want = label(m) else { continue }
                let got = field == "lead" ? o.result.lead?.id.rawValue : o.result.category?.rawValue
                guard got != want else { continue }
                for g in grams[i] { support[want, default: [:]][g, default: 0] += 1 }
            }
            for (want, counts) in support {
                var list: [Candidate] = []
                for (g, s) in counts where s >= minSupport && !(known[want]?.contains(where: { $0.contains(g) || g.contains($0) }) ?? false) {
                    let hits = byGram[g] ?? []
                    let right = hits.filter { label(messages[$0]) == want }.count
                    let p = Double(right) / Double(max(hits.count, 1))
                    guard p >= minPrecision else { continue }
                    list.append(Candidate(label: want, field: field, text: g, support: s, precision: p, occurrences: hits.count))
                }
                // Prefer the longest of overlapping candidates with the same support.
                list.sort { ($0.support, $0.precision, $0.text.count) > ($1.support, $1.precision, $1.text.count) }
                var kept: [Candidate] = []
                for c in list where !kept.contains(where: { $0.text.contains(c.text) && $0.support >= c.support }) {
                    kept.append(c)
                    if kept.count == perLabel { break }
                }
                out += kept
            }
        }
        return out.sorted { ($0.field, $0.label, -$0.support) < ($1.field, $1.label, -$1.support) }
    }

    /// 2- to 4-character runs of Chinese characters.
    static func ngrams(_ text: String) -> [String] {
        var out: [String] = []
        var run: [Character] = []
        func flush() {
            guard run.count >= 2 else { run = []; return }
            for n in 2...4 where run.count >= n {
                for i in 0...(run.count - n) { out.append(String(run[i..<i + n])) }
            }
            run = []
        }
        for ch in text {
            if let s = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, (0x4E00...0x9FFF).contains(s.value) {
                run.append(ch)
            } else {
                flush()
            }
        }
        flush()
        return out
    }
}
