import Foundation
public import TriageKit
import YAML

/// Minimum values for metrics, read from `thresholds.yaml` (the floors of a whole corpus) or from
/// the `thresholds:` of a corpus part's manifest (`part.yaml`, see ``CorpusPart``):
///
/// ```yaml
/// parts: [tune, tune2, test]    # optional: the parts these floors were measured on
/// thresholds:
///   category.accuracy: 0.80
///   category.complaint.recall: 0.70
///   lead.accuracy: 0.70
/// ```
///
/// A metric name that no run could measure (a typo such as `category.acuracy`) is a file error
/// with a did-you-mean hint, found before anything runs.
public struct Thresholds: Sendable {
    /// One floor.
    public struct Minimum: Sendable {
        /// Metric name.
        public var metric: String
        /// Minimum value.
        public var min: Double
        /// Where it was written.
        public var location: SourceLocation
    }
    /// The floors, in file order.
    public var minimums: [Minimum]
    /// The file read.
    public var path: String
    /// The corpus parts (folder names) the floors apply to, together; `nil`: the whole run.
    public var parts: [String]?

    /// Creates thresholds.
    public init(minimums: [Minimum], path: String, parts: [String]? = nil) {
        self.minimums = minimums
        self.path = path
        self.parts = parts
    }

    /// The keys of a thresholds file.
    static let fileFields: [Field] = [
        Field("thresholds", .dictionary(.number), "Metric name → minimum value from 0 to 1."),
        Field("parts", .list(.string), "The corpus parts (folder names) the floors were measured on and apply to."),
    ]

    /// Reads the `thresholds:` mapping of a reader (a thresholds file or a part manifest).
    static func read(_ r: MapReader, path: String, known: [String]?) -> [Minimum] {
        guard let t = r.value("thresholds") else { return [] }
        guard let pairs = t.pairs else {
            r.sink.error(r.loc(t), "'thresholds' must be a mapping of metric names to minimum values", code: "thresholds")
            return []
        }
        var out: [Minimum] = []
        for p in pairs {
            guard let name = p.key.scalar else { continue }
            if let known, !known.contains(name) {
                var message = "unknown metric '\(name)'"
                if let hint = EditDistance.suggestion(for: name, among: known) { message += " (did you mean '\(hint)'?)" }
                r.sink.error(r.loc(p.key), message, code: "unknown-metric",
                             hint: "the metric names are listed in docs/maintainers.md (Thresholds) — 指标名见 docs/maintainers.md")
                continue
            }
            guard let s = p.value.scalar, p.value.style == .plain, let v = Double(s), v >= 0, v <= 1 else {
                r.sink.error(r.loc(p.value), "threshold for '\(name)' must be a number from 0 to 1", code: "thresholds")
                continue
            }
            out.append(Minimum(metric: name, min: v, location: r.loc(p.key)))
        }
        return out
    }

    /// Parses a thresholds file. Errors are collected. `known` lists the valid metric names
    /// (``Metrics/names(categories:)``); `nil` skips that check.
    public static func parse(_ bytes: [UInt8], path: String, known: [String]? = nil) -> (Thresholds, [Diagnostic]) {
        let sink = DiagnosticSink()
        let file = RuleDocument.parse(bytes: bytes, path: path, sink: sink)
        var result = Thresholds(minimums: [], path: path)
        if let root = file.root {
            if root.pairs != nil {
                let r = MapReader(node: root, path: path, entry: nil, sink: sink, fields: fileFields, what: "a thresholds file")
                r.validate()
                result.minimums = read(r, path: path, known: known)
                if r.value("parts") != nil { result.parts = r.strings("parts").map(\.0) }
            } else {
                sink.error(SourceLocation(path: path, line: root.mark.line, column: root.mark.column),
                           "a thresholds file must be a mapping with a 'thresholds' key", code: "thresholds")
            }
        }
        return (result, sink.diagnostics.all)
    }

    /// Reads the file at `path`.
    public static func load(_ path: String, known: [String]? = nil) -> (Thresholds, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (Thresholds(minimums: [], path: path), [Diagnostic(.error, path: path, message: "cannot read thresholds file", code: "io")])
        }
        return parse([UInt8](data), path: path, known: known)
    }

    /// The thresholds file that belongs to the given corpora: `thresholds.yaml` in the first
    /// corpus folder (or the folder of the first corpus file), else in its parent folder.
    public static func find(for corpora: [String]) -> String? {
        guard let first = corpora.first else { return nil }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: first, isDirectory: &isDir) else { return nil }
        var dir = isDir.boolValue ? first : (first as NSString).deletingLastPathComponent
        if dir.isEmpty { dir = "." }
        // swift-corelibs-foundation traps on ".".deletingLastPathComponent (Swift 6.3.1): a bare
        // file name (`triage test export.jsonl`) must not get there.
        let parent = dir == "." || dir.hasSuffix("/.") ? "" : (dir as NSString).deletingLastPathComponent
        for candidate in [dir, parent] where !candidate.isEmpty {
            let p = (candidate as NSString).appendingPathComponent("thresholds.yaml")
            if fm.fileExists(atPath: p) { return p }
        }
        return nil
    }

    /// One threshold checked against a run.
    public struct Check: Sendable {
        /// Metric name.
        public var metric: String
        /// Minimum.
        public var min: Double
        /// Measured value, or `nil` when the run has no such metric (not labelled in this corpus).
        public var value: Double?
        /// True when the value reaches the minimum.
        public var passed: Bool { value.map { $0 + 1e-12 >= min } ?? false }
        /// Where the threshold was written.
        public var location: SourceLocation
        /// What the floor applies to: `corpus` (the whole run), or a part's name.
        public var scope: String
    }

    /// Checks every threshold against `metrics`, measured on the messages of `scope`.
    public func check(_ metrics: Metrics, scope: String = "corpus") -> [Check] {
        let values = Dictionary(metrics.named, uniquingKeysWith: { a, _ in a })
        return minimums.map { Check(metric: $0.metric, min: $0.min, value: values[$0.metric], location: $0.location, scope: scope) }
    }
}
