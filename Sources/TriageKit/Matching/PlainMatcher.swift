internal import PCRE2

/// The plain strategy: every literal and every pattern through PCRE2, no prefilter.
/// Kept as a reference to check the prefilter against and to measure what it saves.
final class PlainMatcher: PatternMatcher {
    private let patterns: [(Int, Pattern)]
    /// False: PCRE2's interpreter instead of its JIT (``MatcherStrategy/interpreted``).
    private let jit: Bool

    /// Builds the matcher; literals are compiled as PCRE2 literal patterns.
    init(entries: [MatcherEntry], jit: Bool = true) {
        self.jit = jit
        var patterns: [(Int, Pattern)] = []
        for (n, e) in entries.enumerated() {
            switch e {
            case .literal(let s):
                // A literal of normalised text always compiles as a literal pattern.
                if !s.isEmpty, let p = try? Pattern(s, options: .literal) { patterns.append((n, p)) }
            case .pattern(let p):
                patterns.append((n, p.compiled))
            }
        }
        self.patterns = patterns
    }

    func scan(_ text: NormalizedText) -> MatcherScan {
        var result = MatcherScan()
        text.bytes.withUnsafeBufferPointer { buf in
            let scratch = MatchScratch()
            for (entry, pattern) in patterns {
                result.patternsRun += 1
                result.pcre2Runs += 1
                do throws(PCRE2Error) {
                    try pattern.forEachMatch(in: buf, scratch: scratch, jit: jit) { range in
                        result.hits.append(MatcherHit(entry: entry, range: range))
                    }
                } catch {
                    result.failures.append(MatcherFailure(entry: entry, message: error.message))
                }
            }
        }
        return result
    }
}

