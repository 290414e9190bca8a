/// Limits and options of the HTTP service.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind (0 picks a free port).
    public var port: Int = 8080
    /// Largest request body accepted, in bytes; larger bodies get 413.
    public var maxBodyBytes: Int = 1 << 20
    /// Most messages in one batch request; more get 413.
    public var maxBatch: Int = 1000
    /// Poll the rule-set folder and reload on a change.
    public var watch: Bool = false
    /// How often `watch` looks at the folder.
    public var watchInterval: Duration = .seconds(1)
    /// Write one access-log line per request (method, path, status, latency, rule-set version).
    public var accessLog: Bool = true
    /// The pre-review desk (case store, accounts): `/v1/session` and `/v1/cases` exist only with one.
    public var cases: CaseDesk?

    /// The defaults: 127.0.0.1:8080, 1 MiB bodies, 1,000 messages a batch.
    public init() {}
}
