/// Topic scores (stage 5a of the decision): each topic adds up the weights of the
/// distinct lexicon entries that occur (a repeat adds `weights.repeated` of the weight,
/// up to `weights.max_repeats` repeats), capped at `weights.topic_cap`.
struct TopicScores {
    /// One topic with evidence.
    struct Score {
        var topic: Int
        var score: Double
        /// Lexicon entries that matched, with how often, in order of first occurrence.
        var entries: [(entry: Int, count: Int)]
    }

    /// Topics with a positive score, strongest first (department evidence needs `weights.topic_min`).
    var topics: [Score] = []

    init(_ words: [(topic: Int, entry: Int, range: Range<Int>)], _ rs: RuleSet) {
        guard !words.isEmpty else { return }
        let w = rs.settings.weights
        var byTopic: [Score] = []
        for hit in words.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let k: Int
            if let found = byTopic.firstIndex(where: { $0.topic == hit.topic }) {
                k = found
            } else {
                byTopic.append(Score(topic: hit.topic, score: 0, entries: []))
                k = byTopic.count - 1
            }
            if let e = byTopic[k].entries.firstIndex(where: { $0.entry == hit.entry }) {
                byTopic[k].entries[e].count += 1
            } else {
                byTopic[k].entries.append((hit.entry, 1))
            }
        }
        for k in byTopic.indices {
            let lexicon = rs.topics[byTopic[k].topic].entries
            let sum = byTopic[k].entries.reduce(0.0) { total, e in
                total + lexicon[e.entry].weight * (1 + w.repeated * Double(min(e.count - 1, w.maxRepeats)))
            }
            byTopic[k].score = min(sum, w.topicCap)
        }
        topics = byTopic.filter { $0.score > 0 }.sorted { $0.score > $1.score }
    }
}
