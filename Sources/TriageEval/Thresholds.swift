import Foundation
public import TriageKit
import YAML

/// Minimum values for metrics, read from a small YAML file next to the corpus:
///
/// ```yaml
/// thresholds:
///   category.accuracy: 0.80
///   category.complaint.recall: 0.70
///   lead.accuracy: 0.70
/// ```
public struct Thresholds: Sendable {
    /// Metric name, minimum value and where it was written.
    public var minimums: [(metric: String, min: Double, location: SourceLocation)]
    /// The file read.
    public var path: String

    /// Creates thresholds.
    public init(minimums: [(metric: String, min: Double, location: SourceLocation)], path: String) {
        self.minimums = minimums
        self.path = path
    }

    /// Parses a thresholds file. Errors are collected.
    public static func parse(_ bytes: [UInt8], path: String) -> (Thresholds, [Diagnostic]) {
        var diags: [Diagnostic] = []
        var out: [(String, Double, SourceLocation)] = []
        let doc = YAMLDocument.parse(bytes)
        for e in doc.errors {
            diags.append(Diagnostic(.error, path: path, line: e.mark.line, column: e.mark.column, message: e.message, code: "yaml-syntax"))
        }
        func loc(_ n: Node) -> SourceLocation { SourceLocation(path: path, line: n.mark.line, column: n.mark.column) }
        func error(_ n: Node, _ message: String, _ code: String = "thresholds") {
            diags.append(Diagnostic(.error, path: path, line: n.mark.line, column: n.mark.column, message: message, code: code))
        }
        if let root = doc.root {
            for pair in root.pairs ?? [] where pair.key.scalar != "thresholds" {
                error(pair.key, "unknown key '\(pair.key.scalar ?? "?")' in a thresholds file (did you mean 'thresholds'?)", "unknown-key")
            }
            if let t = root["thresholds"] {
                if let pairs = t.pairs {
                    for p in pairs {
                        guard let name = p.key.scalar else { continue }
                        guard let s = p.value.scalar, p.value.style == .plain, let v = Double(s), v >= 0, v <= 1 else {
                            error(p.value, "threshold for '\(name)' must be a number from 0 to 1")
                            continue
                        }
                        out.append((name, v, loc(p.key)))
                    }
                } else if case .null = t.kind {
                } else {
                    error(t, "'thresholds' must be a mapping of metric names to minimum values")
                }
            } else if root.pairs == nil {
                error(root, "a thresholds file must be a mapping with a 'thresholds' key")
            }
        }
        return (Thresholds(minimums: out, path: path), diags)
    }

    /// Reads the file at `path`.
    public static func load(_ path: String) -> (Thresholds, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (Thresholds(minimums: [], path: path), [Diagnostic(.error, path: path, message: "cannot read thresholds file", code: "io")])
        }
        return parse([UInt8](data), path: path)
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
        /// Measured value, or `nil` when the run has no such metric.
        public var value: Double?
        /// True when the value reaches the minimum.
        public var passed: Bool { value.map { $0 + 1e-12 >= min } ?? false }
        /// Where the threshold was written.
        public var location: SourceLocation
    }

    /// Checks every threshold. A metric the run does not have is an error with a did-you-mean hint.
    public func check(_ metrics: Metrics) -> ([Check], [Diagnostic]) {
        let named = metrics.named
        let values = Dictionary(named, uniquingKeysWith: { a, _ in a })
        var checks: [Check] = []
        var diags: [Diagnostic] = []
        for t in minimums {
            let v = values[t.metric]
            if v == nil {
                var message = "unknown metric '\(t.metric)' (not measured on this corpus)"
                if let hint = EditDistance.suggestion(for: t.metric, among: named.map(\.0)) { message += " (did you mean '\(hint)'?)" }
                diags.append(Diagnostic(.error, path: t.location.path, line: t.location.line, column: t.location.column,
                                        message: message, code: "unknown-metric"))
            }
            checks.append(Check(metric: t.metric, min: t.min, value: v, location: t.location))
        }
        return (checks, diags)
    }
}
