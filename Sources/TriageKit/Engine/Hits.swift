/// The matcher's hits grouped by what they belong to (stage 3 of the decision).
///
/// Exclusions are applied here: a rule whose exclusion matched is vetoed, and its
/// matches are dropped. An exclusion that fails (backtracking limit) vetoes too,
/// so a failure never lets a rule through that its author meant to stop.
struct Hits {
    /// A rule that fired, with its matches in normalised bytes.
    struct Fired {
        var index: Int
        var matches: [Range<Int>]
    }

    /// A rule whose exclusion matched (or failed).
    struct Vetoed {
        var index: Int
        /// The exclusion's match; `nil` when the exclusion failed.
        var by: Range<Int>?
    }

    /// The fired and vetoed rules of one kind, in rule order.
    struct RuleHits {
        var fired: [Fired] = []
        var vetoed: [Vetoed] = []
    }

    /// An item, department or combined matter, and where it matched.
    struct EntityHit {
        var entity: Entity
        var range: Range<Int>
    }

    enum Entity: Equatable {
        case item(Int), department(Int), combined(Int)
    }

    var classification = RuleHits()
    var cues = RuleHits()
    var screening = RuleHits()
    var escalation = RuleHits()
    /// Entity matches, a match strictly inside a longer one dropped, in text order.
    var entities: [EntityHit] = []
    /// Topic-word matches: topic, lexicon entry, range; a match strictly inside a longer
    /// match of the same topic dropped.
    var topicWords: [(topic: Int, entry: Int, range: Range<Int>)] = []
    /// Where addressee words (请, 要求 …) end, in normalised bytes.
    var addresseeEnds: [Int] = []
    /// Items an exclusion left out of the message.
    var excludedItems: Set<Int> = []
    /// Patterns that failed while matching.
    var failures: [MatcherFailure]
    /// Rules of each kind with a failed (non-exclusion) pattern.
    var failedRules: [RuleKind: [Int]] = [:]
    /// PCRE2 patterns run.
    var patternsRun: Int

    init(scan: MatcherScan, owners: [EntryOwner]) {
        failures = scan.failures
        patternsRun = scan.patternsRun
        // One list per kind, no dictionary: a message has a few dozen hits.
        var rules: [RawHit] = [], cues: [RawHit] = [], screening: [RawHit] = [], escalation: [RawHit] = []
        var entityHits: [EntityHit] = []
        func add(_ kind: RuleKind, _ hit: RawHit) {
            switch kind {
            case .classification: rules.append(hit)
            case .cue: cues.append(hit)
            case .screening: screening.append(hit)
            case .escalation: escalation.append(hit)
            }
        }
        for hit in scan.hits {
            switch owners[hit.entry] {
            case .rule(let kind, let index, let exclude): add(kind, RawHit(index: index, exclude: exclude, range: hit.range))
            case .item(let i): entityHits.append(EntityHit(entity: .item(i), range: hit.range))
            case .itemExclude(let i): excludedItems.insert(i)
            case .department(let d): entityHits.append(EntityHit(entity: .department(d), range: hit.range))
            case .combined(let c): entityHits.append(EntityHit(entity: .combined(c), range: hit.range))
            case .topic(let t, let e): topicWords.append((t, e, hit.range))
            case .addressee: addresseeEnds.append(hit.range.upperBound)
            }
        }
        for failure in scan.failures {
            // A failing item exclusion leaves the item out: a failure never lets through what it meant to stop.
            if case .itemExclude(let i) = owners[failure.entry] { excludedItems.insert(i) }
            guard case .rule(let kind, let index, let exclude) = owners[failure.entry] else { continue }
            if exclude { add(kind, RawHit(index: index, exclude: true, range: nil)) } else { failedRules[kind, default: []].append(index) }
        }
        classification = Hits.group(&rules)
        self.cues = Hits.group(&cues)
        self.screening = Hits.group(&screening)
        self.escalation = Hits.group(&escalation)
        entities = Hits.outermost(entityHits.filter { if case .item(let i) = $0.entity { return !excludedItems.contains(i) } else { return true } })
        topicWords = Hits.outermostWords(topicWords)
    }

    /// Drops a topic word strictly inside a longer word of the same topic (工资 inside 拖欠工资).
    private static func outermostWords(_ words: [(topic: Int, entry: Int, range: Range<Int>)])
        -> [(topic: Int, entry: Int, range: Range<Int>)] {
        guard words.count > 1 else { return words }
        return words.filter { w in
            !words.contains { o in
                o.topic == w.topic && o.range != w.range && o.range.lowerBound <= w.range.lowerBound && w.range.upperBound <= o.range.upperBound
            }
        }
    }

    /// A match (or, `range` nil, a failure) of a pattern of rule `index`.
    struct RawHit {
        var index: Int
        var exclude: Bool
        var range: Range<Int>?
    }

    /// Groups hits by rule: a rule whose patterns matched fires unless an exclusion matched too.
    private static func group(_ hits: inout [RawHit]) -> RuleHits {
        guard !hits.isEmpty else { return RuleHits() }
        // In rule order, then by position; equal keys keep the order the matcher gave them.
        if hits.count > 1 {
            var order = Array(hits.indices)
            order.sort { a, b in
                let x = hits[a], y = hits[b]
                if x.index != y.index { return x.index < y.index }
                let p = x.range?.lowerBound ?? -1, q = y.range?.lowerBound ?? -1
                return p != q ? p < q : a < b
            }
            hits = order.map { hits[$0] }
        }
        var out = RuleHits()
        var start = 0
        while start < hits.count {
            let index = hits[start].index
            var end = start
            var matched = false
            var veto: Int?
            while end < hits.count && hits[end].index == index {
                if hits[end].exclude { if veto == nil { veto = end } } else { matched = true }
                end += 1
            }
            // Only a rule whose patterns matched can be vetoed; an exclusion alone does nothing.
            if matched {
                if let veto {
                    out.vetoed.append(Vetoed(index: index, by: hits[veto].range))
                } else {
                    var matches: [Range<Int>] = []
                    matches.reserveCapacity(end - start)
                    for k in start..<end { if let r = hits[k].range { matches.append(r) } }
                    out.fired.append(Fired(index: index, matches: matches))
                }
            }
            start = end
        }
        return out
    }

    /// Drops a hit strictly inside a longer hit ("营业执照" inside "营业执照注销"); keeps text order.
    private static func outermost(_ hits: [EntityHit]) -> [EntityHit] {
        // By start, longer first; equal spans keep the order the matcher gave them.
        var order = Array(hits.indices)
        order.sort { a, b in
            let x = hits[a].range, y = hits[b].range
            if x.lowerBound != y.lowerBound { return x.lowerBound < y.lowerBound }
            return x.upperBound != y.upperBound ? x.upperBound > y.upperBound : a < b
        }
        let sorted = order.map { hits[$0] }
        var kept: [EntityHit] = []
        var maxEnd = -1
        var maxEndStart = -1
        for h in sorted {
            let inside = maxEnd > h.range.upperBound || (maxEnd == h.range.upperBound && maxEndStart < h.range.lowerBound)
            if !inside { kept.append(h) }
            if h.range.upperBound > maxEnd {
                maxEnd = h.range.upperBound
                maxEndStart = h.range.lowerBound
            }
        }
        return kept
    }

    /// Ids of the fired rules of `kind`.
    func firedIDs(_ hits: RuleHits, _ kind: RuleKind, in rs: RuleSet) -> [String] {
        hits.fired.map { rs.core(kind, $0.index).id }
    }
}
