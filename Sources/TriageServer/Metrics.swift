import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
public import Prometheus
import TriageKit

/// The service's metrics, recorded through swift-metrics into a Prometheus registry
/// owned by the server (no global bootstrap, so tests can run several servers).
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private struct RequestKey: Hashable { var route: String, method: String, status: Int }
    private struct State {
        var requests: [RequestKey: CoreMetrics.Counter] = [:]
        var latency: [String: CoreMetrics.Timer] = [:]
        var classified: [String: CoreMetrics.Counter] = [:]
        var versionGauge: CoreMetrics.Gauge?
        var version: String?
    }
    private let state = NIOLockedValueBox(State())
    private let reloadsOK: CoreMetrics.Counter
    private let reloadsFailed: CoreMetrics.Counter
    private let connections: CoreMetrics.Meter
    private let connectionsOverLimit: CoreMetrics.Counter
    private let connectionsRefused: CoreMetrics.Counter
    private let overloaded: CoreMetrics.Counter
    private let logDropped: CoreMetrics.Counter
    private let logDroppedSeen = NIOLockedValueBox(0)

    /// Creates empty metrics over a new registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5),
        ]
        self.factory = factory
        reloadsOK = CoreMetrics.Counter(label: "triage_ruleset_reloads_total", dimensions: [("result", "success")], factory: factory)
        reloadsFailed = CoreMetrics.Counter(label: "triage_ruleset_reloads_total", dimensions: [("result", "failure")], factory: factory)
        connections = CoreMetrics.Meter(label: "triage_http_connections", factory: factory)
        connectionsOverLimit = CoreMetrics.Counter(label: "triage_http_connections_over_limit_total", factory: factory)
        connectionsRefused = CoreMetrics.Counter(label: "triage_http_connections_refused_total", factory: factory)
        overloaded = CoreMetrics.Counter(label: "triage_http_overloaded_total", factory: factory)
        logDropped = CoreMetrics.Counter(label: "triage_log_lines_dropped_total", factory: factory)
    }

    /// Counts a connection that opened: served, an overflow one (health checks only), or refused.
    func connectionOpened(_ admission: ConnectionRegistry.Admission) {
        switch admission {
        case .serve: connections.increment()
        case .overflow:
            connections.increment()
            connectionsOverLimit.increment()
        case .refuse: connectionsRefused.increment()
        }
    }

    /// Counts a connection that closed.
    func connectionClosed() { connections.decrement() }

    /// Counts a classification request refused with 503 because the work queue was full.
    func overloadedRequest() { overloaded.increment() }

    /// Counts one HTTP request and records its latency.
    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let (counter, timer) = state.withLockedValue { s -> (CoreMetrics.Counter, CoreMetrics.Timer) in
            let counter = s.requests[key] ?? {
                let c = CoreMetrics.Counter(
                    label: "triage_http_requests_total",
                    dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
                s.requests[key] = c
                return c
            }()
            let timer = s.latency[route] ?? {
                let t = CoreMetrics.Timer(label: "triage_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
                s.latency[route] = t
                return t
            }()
            return (counter, timer)
        }
        counter.increment()
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Counts classified messages by category (`none` when undecided).
    func classified(_ categories: [CategoryID?]) {
        var counts: [String: Int] = [:]
        for c in categories { counts[c?.rawValue ?? "none", default: 0] += 1 }
        let counters = state.withLockedValue { s in
            counts.map { (category, n) -> (CoreMetrics.Counter, Int) in
                let counter = s.classified[category] ?? {
                    let c = CoreMetrics.Counter(label: "triage_messages_classified_total", dimensions: [("category", category)], factory: factory)
                    s.classified[category] = c
                    return c
                }()
                return (counter, n)
            }
        }
        for (counter, n) in counters { counter.increment(by: n) }
    }

    /// Counts a reload attempt.
    func reload(succeeded: Bool) {
        (succeeded ? reloadsOK : reloadsFailed).increment()
    }

    /// Sets `triage_ruleset_info{version=...} 1`, removing the series of the previous version.
    func setRuleSetVersion(_ version: String) {
        state.withLockedValue { s in
            guard s.version != version else { return }
            s.versionGauge?.destroy()
            let g = CoreMetrics.Gauge(label: "triage_ruleset_info", dimensions: [("version", version)], factory: factory)
            g.record(1)
            s.versionGauge = g
            s.version = version
        }
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> [UInt8] {
        let dropped = BufferedLogHandler.droppedLines
        let delta = logDroppedSeen.withLockedValue { seen -> Int in
            defer { seen = max(seen, dropped) }
            return max(dropped - seen, 0)
        }
        if delta > 0 { logDropped.increment(by: delta) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return buffer
    }
}
