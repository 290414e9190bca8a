import Foundation
import TriageKit
import YAML

/// A property a fuzz input broke: what, and enough to see why.
public struct FuzzFailure: Error, CustomStringConvertible {
    /// The broken property.
    public var message: String
    public var description: String { message }
    init(_ message: String) { self.message = message }
}

/// The fuzz targets (issue 13). Each takes arbitrary bytes, runs one layer of the engine on
/// them and checks the properties that layer promises; a crash or a broken property is a
/// finding. The same code runs under libFuzzer (`scripts/fuzz.sh`) and, in the ordinary
/// build, over the kept regression inputs (`FuzzRegressionTests`, `triage-fuzz replay`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The YAML layer and the rule-set loader: never crash; every error has a place in its file.
    case yaml
    /// The input parser (`MessageRecord.parse(bytes:)`): never crash; what it accepts survives
    /// being written out and read again; offsets of syntax errors are inside the input.
    case json
    /// The normaliser: every normalised byte maps back into the original text, and every
    /// evidence span of a classification slices the original exactly.
    case normalizer
    /// The literal prefilter against the plain loop: random patterns from the PCRE2 subset the
    /// rules use, random Chinese-heavy texts, identical results.
    case matcher
    /// The working-day calendar: deadlines never before receipt, monotonic in receipt time.
    case calendar

    /// Runs the target on one input.
    public func run(_ data: [UInt8]) throws(FuzzFailure) {
        switch self {
        case .yaml: try YAMLTarget.run(data)
        case .json: try JSONTarget.run(data)
        case .normalizer: try NormalizerTarget.run(data)
        case .matcher: try MatcherTarget.run(data)
        case .calendar: try CalendarTarget.run(data)
        }
    }

    /// The package root, for the bundled rules: `TRIAGE_ROOT`, else the working directory.
    static var root: String { ProcessInfo.processInfo.environment["TRIAGE_ROOT"] ?? FileManager.default.currentDirectoryPath }
}

/// The bundled rule set, loaded once per process from `rules/`.
enum BundledRules {
    static let loaded: RuleSet = {
        let path = (FuzzTarget.root as NSString).appendingPathComponent("rules")
        let result = RuleSetLoader.load(directory: path)
        guard let rs = result.ruleSet else {
            FileHandle.standardError.write(Data("triage-fuzz: the rules in \(path) do not load (set TRIAGE_ROOT):\n\(result.diagnostics)\n".utf8))
            exit(2)
        }
        return rs
    }()

    static let engine = TriageEngine(ruleSet: loaded, now: { Timestamp(epochSeconds: 1_790_000_000) })
}

/// Reads fuzz bytes as a stream of choices; zeros once the input runs out.
struct ByteStream {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// A number in `0..<n`.
    mutating func below(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        return n <= 256 ? Int(byte()) % n : (Int(byte()) << 8 | Int(byte())) % n
    }

    mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// What is left.
    mutating func rest() -> [UInt8] {
        defer { index = bytes.count }
        return index < bytes.count ? Array(bytes[index...]) : []
    }
}

// MARK: - yaml

enum YAMLTarget {
    /// A small valid rule set the input file is loaded with, so references can resolve.
    static let base = [
        RuleSource.File(path: "ruleset.yaml", text: """
            ruleset:
              name: fuzz
              handlers: {coordinator: coord}
            categories:
              - {id: business, name: 业务咨询, route: {channel: hotline, handler: market}}
            departments:
              - {id: coord, name: 区行政服务中心, role: process}
              - {id: market, name: 区市场监管局, aliases: [市场监管局]}

            """)
    ]

    static func run(_ data: [UInt8]) throws(FuzzFailure) {
        let doc = YAMLDocument.parse(data)
        let lines = data.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } + data.reduce(0) { $0 + ($1 == 0x0D ? 1 : 0) }
        for e in doc.errors where e.mark.line < 1 || e.mark.column < 1 || e.mark.line > lines + 1 {
            throw FuzzFailure("YAML error outside the source (\(lines) lines): \(e)")
        }
        let loaded = RuleSetLoader.load(RuleSource(files: base + [RuleSource.File(path: "fuzz.yaml", contents: data)]))
        for d in loaded.diagnostics.all where d.severity == .error {
            // Every error is placed: in a file of the rule set, at a line and column inside it.
            guard d.path == "fuzz.yaml" || d.path == "ruleset.yaml" || d.path == "<memory>" else {
                throw FuzzFailure("an error with no file of the rule set: \(d)")
            }
            guard d.path != "<memory>" else { continue }
            guard let line = d.line, let column = d.column, line >= 1, column >= 1 else {
                throw FuzzFailure("an error with no line and column: \(d)")
            }
            if d.path == "fuzz.yaml" && line > lines + 1 { throw FuzzFailure("an error past the end of the file (\(lines) lines): \(d)") }
        }
        if loaded.ruleSet != nil && loaded.diagnostics.hasErrors { throw FuzzFailure("a rule set with errors was returned") }
        if let rs = loaded.ruleSet {
            // Whatever loads must classify.
            _ = TriageEngine(ruleSet: rs).classify("营业执照办理要什么材料")
        }
    }
}

// MARK: - json

enum JSONTarget {
    static func run(_ data: [UInt8]) throws(FuzzFailure) {
        switch MessageRecord.parse(bytes: data) {
        case .success(let record):
            // Written out and read again, a record is the same record.
            var pairs: [(String, JSONValue)] = [("id", record.id.json), ("text", .string(record.text))]
            if let r = record.receivedAt { pairs.append(("received_at", .string(r.description))) }
            if let d = record.dispatchedAt { pairs.append(("dispatched_at", .string(d.description))) }
            let again = MessageRecord.parse(bytes: Array(JSONValue.object(pairs).serialized.utf8))
            guard case .success(let back) = again else { throw FuzzFailure("a record that does not read back: \(again)") }
            guard back.id == record.id, back.text == record.text,
                  back.receivedAt?.epochSeconds == record.receivedAt?.epochSeconds,
                  back.dispatchedAt?.epochSeconds == record.dispatchedAt?.epochSeconds else {
                throw FuzzFailure("a record that reads back differently: \(record) → \(back)")
            }
        case .failure(let error):
            if error.code == .invalidJSON {
                let parsed: Result<JSONValue, JSONValue.ParseError>
                do throws(JSONValue.ParseError) { parsed = .success(try JSONValue.parse(data)) } catch { parsed = .failure(error) }
                switch parsed {
                case .success: throw FuzzFailure("invalid_json for input the JSON parser accepts")
                case .failure(let e) where e.offset < 0 || e.offset > data.count:
                    throw FuzzFailure("a syntax error offset outside the input: \(e)")
                case .failure: break
                }
            }
        }
    }
}

// MARK: - normalizer

enum NormalizerTarget {
    static func run(_ data: [UInt8]) throws(FuzzFailure) {
        let text = String(decoding: data, as: UTF8.self)
        let scalars = Array(text.unicodeScalars)
        let n = NormalizedText(text)
        guard n.scalarCount == scalars.count else { throw FuzzFailure("scalar count \(n.scalarCount) != \(scalars.count)") }
        // Every range between scalar boundaries of the normalised text maps into the original,
        // and its original text is exactly that slice.
        var boundaries: [Int] = [0]
        for (i, b) in n.bytes.enumerated() where i > 0 && b & 0xC0 != 0x80 { boundaries.append(i) }
        boundaries.append(n.bytes.count)
        var stream = ByteStream(data)
        for _ in 0..<min(64, boundaries.count) {
            let a = boundaries[stream.below(boundaries.count)], b = boundaries[stream.below(boundaries.count)]
            let range = min(a, b)..<max(a, b)
            let original = n.originalRange(range)
            guard original.lowerBound >= 0, original.upperBound <= scalars.count, original.lowerBound <= original.upperBound else {
                throw FuzzFailure("normalised \(range) maps outside the original: \(original) of \(scalars.count)")
            }
            let slice = String(String.UnicodeScalarView(scalars[original]))
            guard n.originalText(original) == slice else { throw FuzzFailure("originalText(\(original)) is not the slice") }
        }
        // Classified, every evidence span slices the original text exactly.
        let r = BundledRules.engine.classify(text)
        for e in r.evidence {
            guard e.start >= 0, e.start < e.end, e.end <= scalars.count,
                  String(String.UnicodeScalarView(scalars[e.start..<e.end])) == e.text else {
                throw FuzzFailure("evidence \(e.rule) \(e.start)..<\(e.end) does not slice the text")
            }
        }
        guard r.evidence.count <= BundledRules.engine.maxEvidence else { throw FuzzFailure("more evidence than the bound") }
    }
}

// MARK: - calendar

enum CalendarTarget {
    static func run(_ data: [UInt8]) throws(FuzzFailure) {
        var s = ByteStream(data)
        let calendar = BundledRules.loaded.calendar
        // Receipt times across the calendar's years and just outside them.
        let start = 1_672_531_200 - 30 * 86_400  // 2022-12-02
        let span = 4 * 366 * 86_400 + 60 * 86_400
        func instant() -> Int { start + (Int(s.byte()) << 24 | Int(s.byte()) << 16 | Int(s.byte()) << 8 | Int(s.byte())) % span }
        let a = instant(), b = instant()
        let t1 = Timestamp(epochSeconds: min(a, b)), t2 = Timestamp(epochSeconds: max(a, b))
        let complexity: Complexity = s.chance(50) ? .complex : .simple
        let rejected = s.chance(20)
        let dispatch: Timestamp? = s.chance(40) ? Timestamp(epochSeconds: t1.epochSeconds + Int(s.byte()) * 3_600 - 48 * 3_600) : nil
        func deadlines(_ t: Timestamp, _ d: Timestamp?) -> TriageResult.Deadlines {
            DeadlineRules.compute(calendar: calendar, receivedAt: t, defaulted: false, dispatchedAt: d, complexity: complexity,
                                  complexityReasons: [], rejected: rejected)
        }
        let d1 = deadlines(t1, dispatch), d2 = deadlines(t2, nil), d1plain = deadlines(t1, nil)
        for (t, d) in [(t1, d1), (t2, d2), (t1, d1plain)] {
            let received = t.shanghaiDate
            if let pre = d.preReviewDue, pre <= received { throw FuzzFailure("pre-review due \(pre) not after receipt \(received)") }
            if let reply = d.replyDue, reply <= received { throw FuzzFailure("reply due \(reply) not after receipt \(received)") }
            if let reply = d.replyDue, let pre = d.preReviewDue, d.dispatchedAt == nil, reply <= pre {
                throw FuzzFailure("reply due \(reply) not after the pre-review deadline \(pre)")
            }
            if rejected && d.replyDue != nil { throw FuzzFailure("a rejected message got a reply deadline") }
            if d.missingYear == nil && (d.preReviewDue == nil || (!rejected && d.replyDue == nil)) {
                throw FuzzFailure("no deadline and no missing year")
            }
        }
        // Later receipt, never an earlier deadline.
        if let p1 = d1plain.preReviewDue, let p2 = d2.preReviewDue, p2 < p1 { throw FuzzFailure("pre-review due not monotonic: \(t1) \(p1), \(t2) \(p2)") }
        if let r1 = d1plain.replyDue, let r2 = d2.replyDue, r2 < r1 { throw FuzzFailure("reply due not monotonic: \(t1) \(r1), \(t2) \(r2)") }
    }
}
