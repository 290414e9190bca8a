public import TriageKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits and options of the HTTP service. Every limit is listed in docs/limits.md with
/// its `triage serve` flag and what a client sees when it is reached.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind (0 picks a free port).
    public var port: Int = 8080
    /// Largest request body accepted, in bytes; larger bodies get 413.
    public var maxBodyBytes: Int = 1 << 20
    /// Most messages in one batch request; more get 413.
    public var maxBatch: Int = 1000
    /// Most characters in one message's text; longer texts get 400 `too_long`.
    public var maxTextLength: Int = MessageRecord.defaultMaxTextLength
    /// Connections served at once. Up to `connectionReserve` more are accepted only to answer
    /// `/healthz` and `/readyz` (anything else: 503 `too_many_connections`).
    public var maxConnections: Int = 1024
    /// Connections accepted over `maxConnections` for health checks and 503s; beyond them a
    /// new connection is closed at once.
    public var connectionReserve: Int = 128
    /// Connections one client address may hold; more are closed at once, so a single client
    /// cannot take every slot.
    public var maxConnectionsPerClient: Int = 256
    /// A connection with no request for this long is closed, and so is one whose request
    /// upload or response download stalls for this long.
    public var idleTimeout: Duration = .seconds(30)
    /// On SIGTERM, how long in-flight requests may take to finish before their connections
    /// are reset and the server exits with status 1.
    public var drainTimeout: Duration = .seconds(10)
    /// Classification requests (`/v1/triage`, `/v1/triage/batch`) running at once, each on a
    /// worker thread of its own. Default: the number of processors.
    public var workers: Int = ServerConfiguration.processors
    /// Classification requests that may wait for a worker; more get 503 `overloaded`.
    public var maxQueue: Int = 64
    /// Bounds on the rule set a reload may load.
    public var ruleLimits: RuleSetLimits = .default
    /// Poll the rule-set folder and reload on a change.
    public var watch: Bool = false
    /// How often `watch` looks at the folder.
    public var watchInterval: Duration = .seconds(1)
    /// Write one access-log line per request (method, path, status, latency, rule-set version).
    public var accessLog: Bool = true
    /// The pre-review desk (case store, accounts): `/v1/session` and `/v1/cases` exist only with one.
    public var cases: CaseDesk?

    /// The defaults: 127.0.0.1:8080, 1 MiB bodies, 1,000 messages a batch, 1,024 connections
    /// idle for at most 30 s, a 10 s drain, one worker per processor and 64 waiting requests.
    public init() {}

    /// Processors online.
    public static var processors: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
