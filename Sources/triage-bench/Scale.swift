import Foundation

// `triage-bench scale`: the in-process part of the scaling benchmark
// (bench/run.py drives it). For one rule set and strategy it measures the
// rule-set load time, then for each message file the messages per second of
// CPU time, and dumps the (message, rule) match pairs for the oracle check.
// Prints one JSON object per line: first {"load": …}, then one per file.

/// CPU time of the calling thread, in seconds (the engine is single-threaded,
/// so this is its cost without anything else the machine is doing).
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `s` as a JSON string literal.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

/// The middle value (the upper middle for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

struct ScaleOptions {
    var rules = ""
    var strategy = BenchStrategy.prefilter
    var messages: [String] = []
    /// Per messages file: false for --check files (the match pass only, not timed).
    var timed: [Bool] = []
    var dumps: [String] = []
    var runs = 5
    var loadRuns: Int?
    var minSeconds = 0.5

    static let usage = """
        usage: triage-bench scale --rules DIR [--strategy prefilter|plain]
                 [--messages FILE [--dump-matches OUT]]... [--check FILE [--dump-matches OUT]]...
                 [--runs N] [--load-runs N] [--min-seconds S]
          --messages: match pass, then timed runs; --check: the match pass only
        """

    init(_ arguments: ArraySlice<String>) throws(BenchFailure) {
        var it = arguments.makeIterator()
        func value(_ flag: String) throws(BenchFailure) -> String {
            guard let v = it.next() else { throw BenchFailure(message: "\(flag) needs a value\n\(Self.usage)") }
            return v
        }
        func number(_ flag: String) throws(BenchFailure) -> Double {
            let v = try value(flag)
            guard let d = Double(v), d >= 0 else { throw BenchFailure(message: "\(flag): not a number: \(v)") }
            return d
        }
        while let a = it.next() {
            switch a {
            case "--rules": rules = try value(a)
            case "--strategy":
                let v = try value(a)
                guard let s = BenchStrategy(rawValue: v) else { throw BenchFailure(message: "--strategy: prefilter or plain, not \(v)") }
                strategy = s
            case "--messages", "--check":
                messages.append(try value(a))
                timed.append(a == "--messages")
            case "--dump-matches":
                // Belongs to the last --messages given.
                guard dumps.count < messages.count else { throw BenchFailure(message: "--dump-matches must follow its --messages or --check") }
                while dumps.count < messages.count - 1 { dumps.append("") }
                dumps.append(try value(a))
            case "--runs": runs = max(1, Int(try number(a)))
            case "--load-runs": loadRuns = Int(try number(a))
            case "--min-seconds": minSeconds = try number(a)
            default: throw BenchFailure(message: "unknown argument \(a)\n\(Self.usage)")
            }
        }
        guard !rules.isEmpty else { throw BenchFailure(message: "--rules is required\n\(Self.usage)") }
        while dumps.count < messages.count { dumps.append("") }
    }
}

func runScale(_ arguments: ArraySlice<String>) throws(BenchFailure) {
    let o = try ScaleOptions(arguments)

    // Load time: the whole of RuleSetLoader.load (read, parse, compile, JIT,
    // check examples), median of --load-runs loads.
    var loadTimes: [Double] = []
    var rules: BenchRules?
    for _ in 0..<max(1, o.loadRuns ?? o.runs) {
        let start = threadCPUSeconds()
        let r = try BenchRules.load(directory: o.rules)
        loadTimes.append(threadCPUSeconds() - start)
        rules = r
    }
    let engine = rules!.engine(o.strategy)
    print(#"{"load": {"rules": \#(rules!.ruleCount), "strategy": "\#(o.strategy.rawValue)", "cpu_s_median": \#(median(loadTimes)), "cpu_s": \#(loadTimes)}}"#)
    fflush(nil)  // all streams: `stdout` is not concurrency-safe in Swift 6

    for (k, (file, dump)) in zip(o.messages, o.dumps).enumerated() {
        let texts = try readMessages(path: file)
        guard !texts.isEmpty else { throw BenchFailure(message: "\(file): no messages") }
        if let bad = texts.firstIndex(where: { !isNormalized($0) }) {
            throw BenchFailure(message: "\(file): message \(bad) is not in normal form; the engines would not see the same text")
        }

        // One pass that records the match pairs; it also warms the engine up.
        var pairs = 0
        var out = ""
        let checkStart = threadCPUSeconds()
        for (i, t) in texts.enumerated() {
            for id in engine.matchedRules(t) {
                pairs += 1
                if !dump.isEmpty { out += "\(i)\t\(id)\n" }
            }
        }
        let checkSeconds = threadCPUSeconds() - checkStart
        if !dump.isEmpty {
            guard FileManager.default.createFile(atPath: dump, contents: Data(out.utf8)) else {
                throw BenchFailure(message: "cannot write \(dump)")
            }
        }

        guard o.timed[k] else {
            print(#"{"file": \#(jsonString(file)), "messages": \#(texts.count), "pairs": \#(pairs), "check_cpu_s": \#(checkSeconds)}"#)
            continue
        }

        // Timed runs: classify messages in order, round and round, until the
        // run has used --min-seconds of CPU; the clock is read every 8 messages.
        var rates: [Double] = []
        var sink = 0
        for _ in 0..<o.runs {
            let start = threadCPUSeconds()
            var n = 0
            var elapsed = 0.0
            repeat {
                for _ in 0..<8 {
                    sink &+= engine.classify(texts[n % texts.count])
                    n += 1
                }
                elapsed = threadCPUSeconds() - start
            } while elapsed < o.minSeconds
            rates.append(Double(n) / elapsed)
        }
        if sink == -1 { print(sink) }
        let rateList = rates.map { String(format: "%.1f", $0) }.joined(separator: ", ")
        print(#"{"file": \#(jsonString(file)), "messages": \#(texts.count), "pairs": \#(pairs), "check_cpu_s": \#(checkSeconds), "msgs_per_s_median": \#(median(rates)), "msgs_per_s": [\#(rateList)]}"#)
        fflush(nil)  // all streams: `stdout` is not concurrency-safe in Swift 6
    }
}
