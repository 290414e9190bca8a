import Foundation
public import TriageKit
import YAML

/// A part of the labelled corpus: a folder of `*.jsonl` files with a manifest, `part.yaml`:
///
/// ```yaml
/// part:
///   held_out: true        # measure only: test, diff, stats and try show aggregates, never texts or ids
///   description: …
/// thresholds:             # optional floors, checked on this part's messages
///   category.accuracy: 0.81
/// ```
///
/// A corpus file belongs to the part whose manifest is in its folder or the nearest folder above.
/// Tools that show messages ask ``HeldOutPolicy`` whether they may; `fit`/`suggest` must use
/// ``HeldOutPolicy/trainingMessages(_:)``, which refuses held-out messages whatever the flags.
public struct CorpusPart: Sendable, Hashable {
    /// The manifest's file name.
    public static let manifestName = "part.yaml"

    /// The part's name: its folder's name (`test`, `tune2`).
    public var name: String
    /// The folder.
    public var directory: String
    /// True when the part is held out: only its aggregate metrics may be read.
    public var isHeldOut: Bool
    /// What it is, from the manifest.
    public var description: String
    /// The manifest's path.
    public var manifest: String
    /// The part's own floors (empty when it has none yet).
    public var thresholds: Thresholds

    public static func == (a: CorpusPart, b: CorpusPart) -> Bool { a.directory == b.directory }
    public func hash(into h: inout Hasher) { h.combine(directory) }

    static let fields: [Field] = [
        Field("part", .object([
            Field("held_out", .boolean, "true: measure only; show aggregates, never texts or ids."),
            Field("description", .string, "What the part is."),
        ]), required: true, "The part."),
        Field("thresholds", .dictionary(.number), "Floors for this part's messages: metric name → minimum."),
    ]

    /// Reads a manifest. `known` lists the valid metric names.
    public static func read(manifest path: String, known: [String]?) -> (CorpusPart?, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [Diagnostic(.error, path: path, message: "cannot read the corpus part manifest", code: "io")])
        }
        let sink = DiagnosticSink()
        let file = RuleDocument.parse(bytes: [UInt8](data), path: path, sink: sink)
        let directory = (path as NSString).deletingLastPathComponent
        var part = CorpusPart(name: (directory as NSString).lastPathComponent, directory: directory, isHeldOut: false,
                              description: "", manifest: path, thresholds: Thresholds(minimums: [], path: path))
        if let root = file.root, root.pairs != nil {
            let r = MapReader(node: root, path: path, entry: nil, sink: sink, fields: fields, what: "a corpus part manifest")
            r.validate()
            if let p = r.mapping("part") {
                p.validate()
                part.isHeldOut = p.bool("held_out") ?? false
                part.description = p.string("description") ?? ""
            }
            part.thresholds.minimums = Thresholds.read(r, path: path, known: known)
            part.thresholds.parts = [part.name]
        } else if file.root != nil {
            sink.error(SourceLocation(path: path, line: 1, column: 1), "a corpus part manifest must be a mapping with a 'part' key", code: "type")
        }
        // A manifest that does not parse still marks its folder as a part; held out, to be safe.
        if sink.diagnostics.hasErrors { part.isHeldOut = true }
        return (part, sink.diagnostics.all)
    }
}

/// Finds the part of each corpus file, reading each manifest once.
public final class CorpusPartFinder {
    private var byDirectory: [String: CorpusPart?] = [:]
    /// Problems in the manifests read.
    public private(set) var diagnostics: [Diagnostic] = []
    private let known: [String]?

    /// Creates a finder; `known` lists the valid metric names for the manifests' thresholds.
    public init(knownMetrics known: [String]? = nil) { self.known = known }

    /// The part of the corpus file at `path`: the manifest in its folder or the nearest folder above.
    public func part(of path: String) -> CorpusPart? {
        part(in: URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path)
    }

    private func part(in dir: String) -> CorpusPart? {
        if let cached = byDirectory[dir] { return cached }
        let manifest = (dir as NSString).appendingPathComponent(CorpusPart.manifestName)
        var found: CorpusPart?
        if FileManager.default.fileExists(atPath: manifest) {
            let (p, d) = CorpusPart.read(manifest: CorpusPartFinder.relative(manifest), known: known)
            diagnostics += d
            found = p
        } else if dir != "/" && !dir.isEmpty {
            found = part(in: (dir as NSString).deletingLastPathComponent)
        }
        byDirectory[dir] = found
        return found
    }

    /// `path` relative to the working directory when it is below it.
    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}

/// Whether held-out messages may be shown. Every report that prints message texts or ids asks
/// this policy; aggregates (counts, metrics) are always shown.
public struct HeldOutPolicy: Sendable {
    /// True with `--reveal-held-out`: show held-out messages like any other.
    public var reveal: Bool

    /// Creates a policy.
    public init(reveal: Bool = false) { self.reveal = reveal }

    /// True when `m` may be shown (its text, id, labels or result).
    public func shows(_ m: LabelledMessage) -> Bool { reveal || !m.isHeldOut }

    /// The held-out parts among `messages`, by name, with how many messages each has.
    public static func heldOutParts(_ messages: [LabelledMessage]) -> [(name: String, count: Int)] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for m in messages where m.isHeldOut {
            let name = m.part ?? "?"
            if counts[name] == nil { order.append(name) }
            counts[name, default: 0] += 1
        }
        return order.map { ($0, counts[$0]!) }
    }

    /// The messages a tool may learn from (`triage fit`, `triage suggest`): never held-out ones,
    /// whatever the flags. A corpus with held-out messages is refused with a one-line error naming
    /// the parts, so that nobody trains on them by passing `corpus/` by mistake.
    public static func trainingMessages(_ messages: [LabelledMessage]) -> Result<[LabelledMessage], Diagnostic> {
        let parts = heldOutParts(messages)
        guard parts.isEmpty else {
            let names = parts.map { "\($0.name) (\($0.count) messages)" }.joined(separator: ", ")
            return .failure(Diagnostic(.error, path: parts[0].name, message: "held-out parts cannot be learned from: \(names); pass the tuning parts only (e.g. corpus/tune corpus/tune2)", code: "held-out"))
        }
        return .success(messages)
    }
}
