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
        var raw: [RuleKind: [(index: Int, exclude: Bool, range: Range<Int>?)]] = [:]
        var entityHits: [EntityHit] = []
        for hit in scan.hits {
            switch owners[hit.entry] {
            case .rule(let kind, let index, let exclude): raw[kind, default: []].append((index, exclude, hit.range))
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
            if exclude { raw[kind, default: []].append((index, true, nil)) } else { failedRules[kind, default: []].append(index) }
        }
        classification = Hits.group(raw[.classification] ?? [])
        cues = Hits.group(raw[.cue] ?? [])
        screening = Hits.group(raw[.screening] ?? [])
        escalation = Hits.group(raw[.escalation] ?? [])
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

    /// Groups hits by rule: a rule whose patterns matched fires unless an exclusion matched too.
    private static func group(_ hits: [(index: Int, exclude: Bool, range: Range<Int>?)]) -> RuleHits {
        guard !hits.isEmpty else { return RuleHits() }
        let sorted = hits.sorted { ($0.index, $0.range?.lowerBound ?? -1) < ($1.index, $1.range?.lowerBound ?? -1) }
        var out = RuleHits()
        var start = 0
        while start < sorted.count {
            let index = sorted[start].index
            var end = start
            while end < sorted.count && sorted[end].index == index { end += 1 }
            let group = sorted[start..<end]
            // Only a rule whose patterns matched can be vetoed; an exclusion alone does nothing.
            if group.contains(where: { !$0.exclude }) {
                if let veto = group.first(where: \.exclude) {
                    out.vetoed.append(Vetoed(index: index, by: veto.range))
                } else {
                    out.fired.append(Fired(index: index, matches: group.compactMap(\.range)))
                }
            }
            start = end
        }
        return out
    }

    /// Drops a hit strictly inside a longer hit ("营业执照" inside "营业执照注销"); keeps text order.
    private static func outermost(_ hits: [EntityHit]) -> [EntityHit] {
        let sorted = hits.sorted {
            ($0.range.lowerBound, -$0.range.upperBound) < ($1.range.lowerBound, -$1.range.upperBound)
        }
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
