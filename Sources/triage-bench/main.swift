import Foundation
import TriageKit
import ChineseVariants

// Throughput benchmark: messages per second for a rule set over the corpus,
// single-threaded, median of several runs. Run in a release build:
//   scripts/bench.sh   (or: swift run -c release triage-bench [--rules DIR] [--corpus DIR] [--runs N])
// BENCH_NORMALIZE=1 times the normaliser alone instead (see below).
//
// Subcommands (their own files):
//   triage-bench scale …      the scaling benchmark's in-process part (Scale.swift; scripts/bench-scale.sh)
//   triage-bench callgrind …  fixed work for instruction counting (Callgrind.swift; scripts/bench-callgrind.sh)
//   triage-bench variants     the normaliser's traditional-to-simplified pairs (Variants.swift; bench/common.py)

if CommandLine.arguments.dropFirst().first == "variants" {
    runVariants()
    exit(0)
}
if let sub = CommandLine.arguments.dropFirst().first, sub == "scale" || sub == "callgrind" {
    do throws(BenchFailure) {
        if sub == "scale" { try runScale(CommandLine.arguments.dropFirst(2)) } else { try runCallgrind(CommandLine.arguments.dropFirst(2)) }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("triage-bench \(sub): \(error.message)\n".utf8))
        exit(1)
    }
}

var rulesDir = "rules", corpusDir = "corpus", runs = 7
/// BENCH_FIXED=N: exactly N passes per run, for instruction counting (perf stat) instead of timing.
let fixedRounds = ProcessInfo.processInfo.environment["BENCH_FIXED"].flatMap { Int($0) }
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--rules": rulesDir = args.next() ?? rulesDir
    case "--corpus": corpusDir = args.next() ?? corpusDir
    case "--runs": runs = Int(args.next() ?? "") ?? runs
    default:
        FileHandle.standardError.write(Data("usage: triage-bench [--rules DIR] [--corpus DIR] [--runs N]\n".utf8))
        exit(2)
    }
}

let loaded = RuleSetLoader.load(directory: rulesDir)
guard let ruleSet = loaded.ruleSet else {
    FileHandle.standardError.write(Data("triage-bench: rule set has errors:\n\(loaded.diagnostics)\n".utf8))
    exit(1)
}

var texts: [String] = []
if let e = FileManager.default.enumerator(atPath: corpusDir) {
    while let rel = e.nextObject() as? String {
        guard rel.hasSuffix(".jsonl") else { continue }
        let data = FileManager.default.contents(atPath: corpusDir + "/" + rel) ?? Data()
        for line in data.split(separator: 0x0A) {
            if case .success(let m) = MessageRecord.parse(bytes: Array(line)) { texts.append(m.text) }
        }
    }
}
guard !texts.isEmpty else {
    FileHandle.standardError.write(Data("triage-bench: no messages under \(corpusDir)\n".utf8))
    exit(1)
}

/// Messages of exactly `length` scalars, made by joining corpus messages.
@MainActor func fixedLength(_ length: Int) -> [String] {
    var out: [String] = []
    var current = ""
    var count = 0
    for t in texts + texts {
        for s in t.unicodeScalars {
            current.unicodeScalars.append(s)
            count += 1
            if count == length {
                out.append(current)
                current = ""
                count = 0
            }
        }
        if out.count >= texts.count { break }
    }
    return out
}

@MainActor func measure(_ engine: TriageEngine, _ messages: [String]) -> (median: Double, all: [Double]) {
    var sink = 0
    for m in messages.prefix(200) { sink &+= engine.classify(m).evidence.count }  // warm-up
    var rates: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        repeat {
            for m in messages { sink &+= engine.classify(m).evidence.count }
            n += messages.count
        } while fixedRounds.map { n < $0 * messages.count } ?? (DispatchTime.now().uptimeNanoseconds - start < 1_000_000_000)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        rates.append(Double(n) / seconds)
    }
    if sink == -1 { print(sink) }
    let sorted = rates.sorted()
    return (sorted[sorted.count / 2], rates)
}

/// Median nanoseconds per message of `body` over `messages`, each run lasting >= 1 s.
@MainActor func nanosecondsPerMessage(_ messages: [String], _ body: (String) -> Int) -> (median: Double, all: [Double]) {
    var sink = 0
    var all: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        repeat {
            for m in messages { sink &+= body(m) }
            n += messages.count
        } while fixedRounds.map { n < $0 * messages.count } ?? (DispatchTime.now().uptimeNanoseconds - start < 1_000_000_000)
        all.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(n))
    }
    if sink == -1 { print(sink) }
    return (all.sorted()[all.count / 2], all)
}

// BENCH_NORMALIZE=1: NormalizedText alone, no matching, on the corpus as written ("corpus"),
// on 200-character messages ("long"), and on the corpus with every character that has a
// traditional form written in it ("traditional"); plus how long the traditional-to-simplified
// table takes to build. BENCH_NORMALIZE=traditional (or a comma-separated list) runs only those.
if let normalizeSets = ProcessInfo.processInfo.environment["BENCH_NORMALIZE"] {
    let only = Set(normalizeSets.split(separator: ",").map(String.init))
    var builds: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        let table = TraditionalToSimplified(configPath: TraditionalToSimplified.defaultConfigPath)
        builds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        if table.count == -1 { print(table.count) }
    }
    let table = TraditionalToSimplified.shared
    print(String(format: "traditional-to-simplified table: %d mappings%@, built in %.1f ms (median of %d; runs: %@)",
                 table.count, table.error.map { " (\($0))" } ?? "", builds.sorted()[runs / 2], runs,
                 builds.map { String(format: "%.1f", $0) }.joined(separator: " ")))
    var traditionalOf: [Unicode.Scalar: Unicode.Scalar] = [:]
    for (t, s) in table.mappings where traditionalOf[s] == nil { traditionalOf[s] = t }
    let traditional = texts.map { String(String.UnicodeScalarView($0.unicodeScalars.map { traditionalOf[$0] ?? $0 })) }
    let changed = zip(texts, traditional).reduce(0) { n, p in n + zip(p.0.unicodeScalars, p.1.unicodeScalars).filter { $0 != $1 }.count }
    print("traditional corpus: \(changed) of \(texts.reduce(0) { $0 + $1.unicodeScalars.count }) characters replaced by a traditional form")
    let sets = [("corpus", "corpus as written", texts), ("long", "200-character messages", fixedLength(200)),
                ("traditional", "corpus in traditional", traditional)]
    for (key, name, messages) in sets where only == ["1"] || only.contains(key) {
        let r = nanosecondsPerMessage(messages) { NormalizedText($0).bytes.count }
        let runsText = r.all.map { String(format: "%.0f", $0) }.joined(separator: " ")
        print(String(format: "normalise  %-24@ median %8.0f ns/message (%d messages)   runs: %@", name, r.median, messages.count, runsText))
    }
    exit(0)
}

let avg = Double(texts.reduce(0) { $0 + $1.unicodeScalars.count }) / Double(texts.count)
print("rule set \(ruleSet.version): \(ruleSet.rules.count) rules, \(ruleSet.cues.count) cues, \(ruleSet.items.count) items, \(ruleSet.departments.count) departments, \(ruleSet.combined.count) combined")
print("corpus: \(texts.count) messages, mean \(String(format: "%.0f", avg)) characters; \(runs) runs of >= 1 s each, one thread")
var sets: [(String, [String])] = [("corpus as written", texts), ("200-character messages", fixedLength(200))]
if ProcessInfo.processInfo.environment["BENCH_LONG_ONLY"] != nil { sets.removeFirst() }
let strategies: [MatcherStrategy] = ProcessInfo.processInfo.environment["BENCH_ONLY"].flatMap { MatcherStrategy(rawValue: $0) }.map { [$0] } ?? [.prefilter, .plain]
for strategy in strategies {
    let engine = TriageEngine(ruleSet: ruleSet.using(strategy), maxEvidence: .max)
    for (name, messages) in sets {
        let r = measure(engine, messages)
        let runsText = r.all.map { String(format: "%.0f", $0) }.joined(separator: " ")
        print(String(format: "%-10@ %-24@ median %8.0f msg/s   runs: %@", strategy.rawValue, name, r.median, runsText))
    }
}


// BENCH_PATTERN_COST=1: time every pattern alone over the 200-character set and list the costliest.
if ProcessInfo.processInfo.environment["BENCH_PATTERN_COST"] != nil {
    var costs: [(Double, String)] = []
    let long = fixedLength(200).map { NormalizedText($0) }
    let entries = ruleSet.allPatterns
    for (owner, p) in entries {
        let start = DispatchTime.now().uptimeNanoseconds
        for t in long { _ = try? p.matches(t.string) }
        costs.append((Double(DispatchTime.now().uptimeNanoseconds - start) / Double(long.count), "\(owner): \(p.source)  gate=\(p.required?.description ?? "none")"))
    }
    for (ns, what) in costs.sorted(by: { $0.0 > $1.0 }).prefix(25) { print(String(format: "%8.0f ns  %@", ns, what)) }
    print(String(format: "total %.0f ns per message if every pattern ran", costs.reduce(0) { $0 + $1.0 }))
}

// BENCH_GATES=1: how many patterns have no literal gate, or no prefix for anchored matching.
if ProcessInfo.processInfo.environment["BENCH_GATES"] != nil {
    let all = ruleSet.allPatterns
    print("patterns: \(all.count); ungated: \(all.filter { $0.1.required == nil }.count); no prefix: \(all.filter { !$0.1.hasPrefix }.count)")
    for (owner, p) in all where !p.hasPrefix { print("  no prefix  \(owner): \(p.source)") }
    let long = fixedLength(200)
    let profile = ruleSet.matcherProfile(long) { DispatchTime.now().uptimeNanoseconds }
    print("distinct patterns by how the matcher verifies them:")
    for (name, count) in profile.summary { print(String(format: "  %6d  %@", count, name)) }
    let total = profile.costs.reduce(0) { $0 + $1.nanoseconds }
    let verified = profile.costs.reduce(0) { $0 + $1.runs }
    print(String(format: "verification over %d 200-character messages: %.1f patterns and %.0f ns per message (clock reads included); the costliest patterns:",
                 long.count, Double(verified) / Double(long.count), Double(total) / Double(long.count)))
    for c in profile.costs.sorted(by: { $0.nanoseconds > $1.nanoseconds }).prefix(Int(ProcessInfo.processInfo.environment["BENCH_TOP"] ?? "") ?? 30) {
        print(String(format: "  %8.0f ns/msg  runs %6d  %-28@ %@", Double(c.nanoseconds) / Double(long.count), c.runs, c.verification, String(c.source.prefix(120))))
    }
}
