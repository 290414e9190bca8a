public import Foundation
import NIOConcurrencyHelpers
public import TriageKit

/// One loaded rule set as the server serves it: the engine over it and when it was loaded.
public struct RuleSetSnapshot: Sendable {
    /// The engine over the rule set.
    public let engine: TriageEngine
    /// When the rule set went live.
    public let loadedAt: Date

    /// The rule set.
    public var ruleSet: RuleSet { engine.ruleSet }
    /// Its version (content hash).
    public var version: String { engine.ruleSet.version }
}

/// What a reload did.
public enum ReloadOutcome: Sendable, Equatable {
    /// A valid rule set with a new version went live.
    case swapped(from: String?, to: String)
    /// The rule set is valid but its content has not changed; nothing was swapped.
    case unchanged(String)
    /// The new rule set is invalid: the old one keeps serving. Carries the rendered diagnostics.
    case failed([String])
}

/// Holds the rule set being served and swaps it atomically on reload.
///
/// Requests take one snapshot each (`current`), so a request never sees a half-loaded rule set
/// and a reload never blocks a request for longer than a pointer copy. Reloads are serialised.
public final class RuleSetStore: Sendable {
    /// Where the rule set is read from, for logs and `/v1/ruleset`.
    public let label: String
    /// The folder to reload from and watch, or `nil` for an in-memory (bundled) rule set.
    public let directory: String?
    /// Most evidence spans per result of the engines this store builds.
    public let maxEvidence: Int
    private let loader: @Sendable () -> LoadResult
    private let box = NIOLockedValueBox<RuleSetSnapshot?>(nil)
    private let reloadLock = NIOLock()

    /// A store that reads the rule set from a folder, within `limits`.
    public convenience init(directory: String, limits: RuleSetLimits = .default, maxEvidence: Int = TriageEngine.defaultMaxEvidence) {
        self.init(label: directory, directory: directory, maxEvidence: maxEvidence) {
            RuleSetLoader.load(directory: directory, limits: limits)
        }
    }

    /// A store with a custom loader (bundled or in-memory rule sets).
    public init(label: String, directory: String? = nil, maxEvidence: Int = TriageEngine.defaultMaxEvidence,
                loader: @escaping @Sendable () -> LoadResult) {
        self.label = label
        self.directory = directory
        self.maxEvidence = maxEvidence
        self.loader = loader
    }

    /// The rule set being served, or `nil` while no valid one has been loaded.
    public var current: RuleSetSnapshot? { box.withLockedValue { $0 } }

    /// Loads and validates the rule set, and swaps it in only when it is valid.
    /// Synchronous and CPU-bound: call it off the request path.
    @discardableResult
    public func reload() -> ReloadOutcome {
        reloadLock.withLock {
            let loaded = loader()
            guard let ruleSet = loaded.ruleSet else {
                let renderer = DiagnosticRenderer(sources: loaded.sources)
                let lines = loaded.diagnostics.sorted.filter { $0.severity == .error }.map { renderer.render($0.prefixed(label)) }
                return .failed(lines.isEmpty ? ["\(label): the rule set could not be loaded"] : lines)
            }
            let old = current?.version
            if old == ruleSet.version { return .unchanged(ruleSet.version) }
            let snapshot = RuleSetSnapshot(engine: TriageEngine(ruleSet: ruleSet, maxEvidence: maxEvidence), loadedAt: Date())
            // The old rule set is released after the lock, so its teardown never holds up a request.
            let previous = box.withLockedValue { current -> RuleSetSnapshot? in
                defer { current = snapshot }
                return current
            }
            withExtendedLifetime(previous) {}
            return .swapped(from: old, to: ruleSet.version)
        }
    }
}

extension Diagnostic {
    /// The diagnostic with a relative path placed under the rule-set folder.
    func prefixed(_ root: String) -> Diagnostic {
        var d = self
        if !path.hasPrefix("/") && path != root && !root.hasPrefix("<") { d.path = (root as NSString).appendingPathComponent(path) }
        return d
    }
}
