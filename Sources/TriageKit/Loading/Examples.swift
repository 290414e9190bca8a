internal import PCRE2

/// Examples are tests, run through the rule set's own matcher (the literal prefilter, the
/// anchored prefixes, the exclusions, the normaliser), not through each pattern alone.
///
/// An example of `match` may mark where the match must be with `⟦…⟧`:
/// `网上办事大厅一直⟦登录不上⟧`. Then the matches of the rule (or item) must be exactly the
/// marked spans. Every example also runs a second time after a prefix of multi-byte and
/// full-width characters (``ExampleCheck/prefix``), which must shift the spans and change
/// nothing else: that catches offset bugs between normalised bytes and original characters.
enum ExampleCheck {
    /// The span markers.
    static let open: Unicode.Scalar = "⟦", close: Unicode.Scalar = "⟧"
    /// An emoji (4 UTF-8 bytes, 2 UTF-16 units), a full-width letter (NFKC: 3 bytes → 1) and an
    /// ideographic space (NFKC: a space), in front of the example for its second run.
    static let prefix = "😀Ｗ　"
    static var prefixCount: Int { prefix.unicodeScalars.count }

    /// Parses markers out of `written`: the text and the marked scalar ranges, or an error message.
    static func parse(_ written: String) -> (text: String, spans: [Range<Int>]?, error: String?) {
        guard written.unicodeScalars.contains(where: { $0 == open || $0 == close }) else { return (written, nil, nil) }
        var text = String.UnicodeScalarView()
        var spans: [Range<Int>] = []
        var start: Int?
        for s in written.unicodeScalars {
            if s == open {
                if start != nil { return (written, nil, "span markers cannot nest: close ⟦ with ⟧ before opening another") }
                start = text.count
            } else if s == close {
                guard let st = start else { return (written, nil, "'⟧' without an opening '⟦'") }
                if st == text.count { return (written, nil, "an empty span ⟦⟧ marks nothing") }
                spans.append(st..<text.count)
                start = nil
            } else {
                text.append(s)
            }
        }
        if start != nil { return (written, nil, "'⟦' is never closed with '⟧'") }
        return (String(text), spans, nil)
    }

    /// `text` with `spans` marked, for messages.
    static func mark(_ text: String, _ spans: [Range<Int>]) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        let starts = Set(spans.map(\.lowerBound)), ends = spans.map(\.upperBound)
        for i in 0...s.count {
            out.append(contentsOf: String(repeating: "⟧", count: ends.filter { $0 == i }.count).unicodeScalars)
            if starts.contains(i) { out.append(contentsOf: String(repeating: "⟦", count: spans.filter { $0.lowerBound == i }.count).unicodeScalars) }
            if i < s.count { out.append(s[i]) }
        }
        return String(out)
    }

    /// What the matcher says about one entry for one text.
    struct Observation: Equatable {
        var fired: Bool
        var vetoed: Bool
        var failed: Bool
        /// Match spans in original scalars, sorted.
        var spans: [Range<Int>]
    }

    /// What the rule set's matcher finds for `owner` in `text`.
    static func observe(_ text: String, _ owner: ExampleOwner, _ rs: RuleSet) -> Observation {
        let normalised = NormalizedText(text)
        let hits = Hits(scan: rs.matcher.scan(normalised), owners: rs.owners)
        func spans(_ ranges: [Range<Int>]) -> [Range<Int>] {
            Array(Set(ranges.map(normalised.originalRange))).sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        }
        switch owner {
        case .rule(let kind, let index):
            let group: Hits.RuleHits
            switch kind {
            case .classification: group = hits.classification
            case .cue: group = hits.cues
            case .screening: group = hits.screening
            case .escalation: group = hits.escalation
            }
            let fired = group.fired.first { $0.index == index }
            return Observation(fired: fired != nil, vetoed: group.vetoed.contains { $0.index == index },
                               failed: hits.failedRules[kind]?.contains(index) == true, spans: spans(fired?.matches ?? []))
        case .item(let i):
            let r = hits.entities.filter { $0.entity == .item(i) }.map(\.range)
            return Observation(fired: !r.isEmpty, vetoed: false, failed: false, spans: spans(r))
        case .combined(let c):
            let r = hits.entities.filter { $0.entity == .combined(c) }.map(\.range)
            return Observation(fired: !r.isEmpty, vetoed: false, failed: false, spans: spans(r))
        }
    }

    /// Whose examples these are.
    enum ExampleOwner {
        case rule(RuleKind, Int), item(Int), combined(Int)
    }

    /// True when a pattern looks at the start of the text (`^`, `\A`, `\G`), so that a prefix changes what it means.
    static func startAnchored(_ patterns: [RulePattern]) -> Bool {
        patterns.contains { p in
            let s = Array(p.source.unicodeScalars)
            var i = 0
            var inClass = false
            while i < s.count {
                let c = s[i]
                if c == "\\" {
                    if !inClass, i + 1 < s.count, s[i + 1] == "A" || s[i + 1] == "G" { return true }
                    i += 2
                    continue
                }
                if inClass {
                    if c == "]" { inClass = false }
                } else if c == "[" {
                    inClass = true
                    if i + 1 < s.count, s[i + 1] == "^" { i += 1 }
                    if i + 1 < s.count, s[i + 1] == "]" { i += 1 }
                } else if c == "^" {
                    return true
                }
                i += 1
            }
            return false
        }
    }

    /// Checks every example of one owner and reports failures at the example.
    static func check(_ examples: RuleExamples, owner: ExampleOwner, id: String, what: String, patterns: [RulePattern],
                      rs: RuleSet, sink: DiagnosticSink) {
        let anchored = startAnchored(patterns)
        let shift = prefixCount
        for (shouldMatch, list) in [(true, examples.match), (false, examples.noMatch)] {
            for example in list {
                let o = observe(example.text, owner, rs)
                let quoted = "'\(example.written)'"
                if o.failed {
                    sink.error(example.location, "example \(quoted) of \(what) '\(id)': a pattern failed while matching (the backtracking bound); simplify the pattern",
                               entry: id, code: "example-failed")
                    continue
                }
                if shouldMatch && !o.fired {
                    let why = o.vetoed ? "an exclude pattern vetoes it" : "no pattern matches it"
                    sink.error(example.location, "example \(quoted) should match \(what) '\(id)' but \(why)", entry: id, code: "example-failed")
                    continue
                }
                if !shouldMatch && o.fired {
                    sink.error(example.location, "example \(quoted) should not match \(what) '\(id)' but it does, at \(mark(example.text, o.spans))",
                               entry: id, code: "example-failed")
                    continue
                }
                if let expected = example.spans, expected != o.spans {
                    sink.error(example.location, "example \(quoted) of \(what) '\(id)' marks the match at \(mark(example.text, expected)) but it matches at \(mark(example.text, o.spans))",
                               entry: id, code: "example-span")
                    continue
                }
                guard !anchored else { continue }
                let p = observe(prefix + example.text, owner, rs)
                let shifted = o.spans.map { ($0.lowerBound + shift)..<($0.upperBound + shift) }
                // A match that began at the very start of the example may begin earlier, inside the
                // prefix (`[^，]{2,8}、…` takes the prefix's characters too); that is no offset bug.
                func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                    a == b || (b.lowerBound == shift && a.lowerBound < shift && a.upperBound == b.upperBound)
                }
                let spansAgree = p.spans.count == shifted.count && zip(p.spans, shifted).allSatisfy { same($0, $1) }
                if p.fired != o.fired || p.vetoed != o.vetoed || !spansAgree {
                    let got = p.spans.map { max(0, $0.lowerBound - shift)..<max(0, $0.upperBound - shift) }
                    sink.error(example.location, "example \(quoted) of \(what) '\(id)' changes after a multi-byte prefix ('\(prefix)'): \(o.fired ? "matched at \(mark(example.text, o.spans))" : "no match") without it, \(p.fired ? "at \(mark(example.text, got))" : "no match") with it; an offset bug in the normaliser or the matcher",
                               entry: id, code: "example-offset")
                }
            }
        }
    }
}
