import Foundation

// `triage-bench callgrind`: classifies a fixed number of messages inside one
// function with a plain symbol name, `triage_bench_measured`, so that
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=triage_bench_measured …
// counts the instructions of exactly those classifications (and everything they
// call) and nothing else: not the start-up, the rule-set load, reading the
// messages or the warm-up. scripts/bench-callgrind.sh divides by the count.

struct CallgrindOptions {
    var rules = "rules"
    var messages = ""
    var strategy = BenchStrategy.prefilter
    /// BENCH_FIXED=N sets the default, as for the corpus benchmark.
    var count = ProcessInfo.processInfo.environment["BENCH_FIXED"].flatMap { Int($0) } ?? 500
    var warmup = 20
    /// Parse the input lines and write the results as JSON, as `triage classify --jsonl` does.
    var jsonl = false

    static let usage = "usage: triage-bench callgrind --messages FILE [--rules DIR] [--count N] [--warmup N] [--strategy prefilter|plain] [--jsonl]"

    init(_ arguments: ArraySlice<String>) throws(BenchFailure) {
        var it = arguments.makeIterator()
        func value(_ flag: String) throws(BenchFailure) -> String {
            guard let v = it.next() else { throw BenchFailure(message: "\(flag) needs a value\n\(Self.usage)") }
            return v
        }
        func nonNegative(_ flag: String) throws(BenchFailure) -> Int {
            let v = try value(flag)
            guard let n = Int(v), n >= 0 else { throw BenchFailure(message: "\(flag): not a count: \(v)") }
            return n
        }
        while let a = it.next() {
            switch a {
            case "--rules": rules = try value(a)
            case "--messages": messages = try value(a)
            case "--count": count = try nonNegative(a)
            case "--warmup": warmup = try nonNegative(a)
            case "--jsonl": jsonl = true
            case "--strategy":
                let v = try value(a)
                guard let s = BenchStrategy(rawValue: v) else { throw BenchFailure(message: "--strategy: prefilter or plain, not \(v)") }
                strategy = s
            default: throw BenchFailure(message: "unknown argument \(a)\n\(Self.usage)")
            }
        }
        guard !messages.isEmpty else { throw BenchFailure(message: "--messages is required\n\(Self.usage)") }
    }
}

/// The measured function: callgrind collects only while it runs. The symbol
/// name is fixed so that the toggle does not depend on Swift's name mangling.
@_silgen_name("triage_bench_measured")
@inline(never)
func triageBenchMeasured(_ engine: BenchEngine, _ texts: [String]) -> Int {
    var sink = 0
    for t in texts { sink &+= engine.classify(t) }
    return sink
}

/// The measured function of `--jsonl`: lines in, JSON lines out.
@_silgen_name("triage_bench_measured_jsonl")
@inline(never)
func triageBenchMeasuredJSONL(_ engine: BenchEngine, _ lines: [[UInt8]]) -> Int {
    var out: [UInt8] = []
    var total = 0
    for line in lines {
        engine.classifyLine(line, into: &out)
        if out.count > 1 << 16 {
            total &+= out.count
            out.removeAll(keepingCapacity: true)
        }
    }
    return total &+ out.count
}

func runCallgrind(_ arguments: ArraySlice<String>) throws(BenchFailure) {
    let o = try CallgrindOptions(arguments)
    if o.jsonl {
        let engine = try BenchRules.load(directory: o.rules).engine(o.strategy)
        guard let data = FileManager.default.contents(atPath: o.messages) else { throw BenchFailure(message: "cannot read \(o.messages)") }
        let all = data.split(separator: 0x0A).map { Array($0) }
        guard !all.isEmpty else { throw BenchFailure(message: "\(o.messages): no lines") }
        let lines = (0..<o.count).map { all[$0 % all.count] }
        var sink = 0
        var scratch: [UInt8] = []
        for line in all.prefix(o.warmup) { engine.classifyLine(line, into: &scratch) }
        sink &+= scratch.count
        sink &+= triageBenchMeasuredJSONL(engine, lines)
        print("classified \(o.count) lines as JSON Lines with \(o.strategy.rawValue) (\(sink) bytes)")
        return
    }
    let engine = try BenchRules.load(directory: o.rules).engine(o.strategy)
    let all = try readMessages(path: o.messages)
    guard !all.isEmpty else { throw BenchFailure(message: "\(o.messages): no messages") }
    // Exactly `count` messages, the file's messages in order and again if it is short.
    let texts = (0..<o.count).map { all[$0 % all.count] }
    // Warm-up outside the measured function: lazily built tables (Unicode
    // normalisation, PCRE2 JIT stacks) are not part of a message's cost.
    var sink = 0
    for t in all.prefix(o.warmup) { sink &+= engine.classify(t) }
    sink &+= triageBenchMeasured(engine, texts)
    print("classified \(o.count) messages with \(o.strategy.rawValue) (\(sink))")
}
