import Foundation
import HTTPTypes
public import Hummingbird
import HummingbirdCore
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TriageKit
import UnixSignals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `triage serve` HTTP service: classification API, rule-set info, health, metrics,
/// the OpenAPI document and the pre-review page, with hot reload of the rule set.
///
/// Under load it sheds rather than breaks: connections are limited and time out when idle
/// or stalled, classification runs on a bounded worker pool with a bounded queue (503
/// `overloaded` beyond it), health checks never queue behind classification, and SIGTERM
/// drains in-flight requests within a deadline (docs/limits.md).
public final class TriageService: Sendable {
    /// The rule set being served.
    public let store: RuleSetStore
    /// Metrics rendered at `/metrics`.
    public let metrics: ServerMetrics
    /// Limits and options.
    public let configuration: ServerConfiguration
    /// Access and reload log. Never receives message text.
    public let logger: Logger
    let connections: ConnectionRegistry
    let work: WorkLimiter
    private let shutdown = NIOLockedValueBox(ShutdownState())

    private struct ShutdownState {
        var started = false
        var deadlineHit = false
        var aborted = 0
    }

    /// Creates the service. Call `reload()` (or `run()`, which does) to load the first rule set.
    public init(store: RuleSetStore, configuration: ServerConfiguration = .init(), logger: Logger = Logger(label: "triage.serve")) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.metrics = ServerMetrics()
        // Connections must run out before descriptors do: raise the soft limit, and lower the
        // connection limits to fit what the process may open (files, pipes and NIO's own need ~512).
        let descriptors = Self.raiseDescriptorLimit()
        let reserve = min(configuration.connectionReserve, max(descriptors / 8, 1))
        let limit = min(configuration.maxConnections, max(descriptors - reserve - 512, 16))
        self.connections = ConnectionRegistry(limit: limit, reserve: reserve, perClient: configuration.maxConnectionsPerClient)
        self.work = WorkLimiter(workers: configuration.workers, maxQueue: configuration.maxQueue)
    }

    /// The router with every route and the access/error middleware.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessMiddleware(service: self))
        let h = Endpoints(store: store, metrics: metrics, configuration: configuration)
        // Every route is also in `TriageService.routes`, which answers 405 for other methods.
        let classify = classifyRoutes(on: router).add(middleware: WorkMiddleware(service: self))
        classify.post("/v1/triage") { try await h.triage($0, $1) }
        classify.post("/v1/triage/batch") { try await h.batch($0, $1) }
        router.get("/v1/ruleset") { try h.ruleset($0, $1) }
        router.get("/healthz") { h.healthz($0, $1) }
        router.get("/readyz") { h.readyz($0, $1) }
        router.get("/metrics") { h.metricsText($0, $1) }
        router.get("/openapi.yaml") { _, _ in asset(OpenAPIDocument.yaml, type: "application/yaml; charset=utf-8") }
        router.get("/") { _, _ in asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/assets/app.css") { _, _ in asset(PageAssets.css, type: "text/css; charset=utf-8") }
        router.get("/assets/app.js") { _, _ in asset(PageAssets.js, type: "text/javascript; charset=utf-8") }
        registerDesk(on: router)
        return router
    }

    /// The methods of each path `buildRouter` serves (GET paths answer HEAD too): a request for
    /// a known path with another method gets 405 with `Allow`, not 404.
    static let routes: [String: [HTTPRequest.Method]] = {
        var table: [String: [HTTPRequest.Method]] = [
            "/v1/triage": [.post], "/v1/triage/batch": [.post],
            "/v1/ruleset": [.get, .head], "/healthz": [.get, .head], "/readyz": [.get, .head], "/metrics": [.get, .head],
            "/openapi.yaml": [.get, .head], "/": [.get, .head], "/assets/app.css": [.get, .head], "/assets/app.js": [.get, .head],
            // The desk's fixed paths (registerDesk); paths with an {id} are answered 404 for other methods.
            "/v1/ruleset/glossary": [.get, .head], "/v1/session": [.get, .head, .post, .delete],
            "/v1/cases": [.get, .head, .post], "/v1/cases/batch": [.post],
        ]
        for file in PageAssets.deskFiles { table["/assets/" + file.name] = [.get, .head] }
        return table
    }()

    /// Loads the rule set off the request path, swaps it in when valid, and logs and counts the outcome.
    /// This is what SIGHUP and `--watch` call.
    @discardableResult
    public func reload() async -> ReloadOutcome {
        let store = self.store
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<ReloadOutcome, Never>) in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: store.reload()) }
        }
        switch outcome {
        case .swapped(let from, let to):
            metrics.reload(succeeded: true)
            metrics.setRuleSetVersion(to)
            logger.info("rule set loaded", metadata: ["source": "\(store.label)", "version": "\(to)", "previous": "\(from ?? "none")"])
        case .unchanged(let version):
            metrics.reload(succeeded: true)
            metrics.setRuleSetVersion(version)
            logger.info("rule set unchanged", metadata: ["source": "\(store.label)", "version": "\(version)"])
        case .failed(let diagnostics):
            metrics.reload(succeeded: false)
            for line in diagnostics { logger.error("\(line)") }
            let serving = store.current?.version ?? "none"
            logger.error(
                "rule set reload failed; the previous version keeps serving",
                metadata: ["source": "\(store.label)", "errors": "\(diagnostics.count)", "version": "\(serving)"])
        }
        return outcome
    }

    /// The Hummingbird application, with the reload service (SIGHUP, `--watch`) attached.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let logger = self.logger
        let limits = ConnectionLimits(idleTimeout: configuration.idleTimeout)
        let registry = connections
        let metrics = self.metrics
        // A backstop: connections over the limits are closed at once by the registry; should
        // closing fall behind a storm, the server stops accepting before descriptors run out.
        let accepting = MaximumAvailableConnections(connections.limit + connections.reserve + 256, logger: logger)
        return Application(
            router: buildRouter(),
            server: HTTPServerBuilder { responder in
                TriageHTTPChannel(responder: responder, limits: limits, registry: registry, metrics: metrics)
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                availableConnectionsDelegate: accepting),
            services: [ReloadService(service: self)] + deskServices(),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice("listening on http://\(self.configuration.host):\(port)")
                await onServerRunning(port)
            },
            logger: logger)
    }

    /// Thrown by ``run()`` when SIGTERM's drain deadline passed with requests still in flight;
    /// their connections were reset.
    public struct DrainDeadlineExceeded: Error, CustomStringConvertible {
        /// Connections still open at the deadline.
        public var connections: Int
        /// The deadline.
        public var deadline: Duration
        public var description: String {
            "the drain deadline of \(deadline) passed with \(connections) connection(s) still open; they were reset"
        }
    }

    /// True once SIGTERM or SIGINT started the drain.
    var isShuttingDown: Bool { shutdown.withLockedValue { $0.started } }

    /// Loads the rule set, then serves until SIGTERM or SIGINT: stops accepting, lets in-flight
    /// requests finish for up to `drainTimeout`, resets what is left, then returns.
    /// - Throws: ``DrainDeadlineExceeded`` when the deadline was hit.
    public func run() async throws {
        if connections.limit < configuration.maxConnections {
            logger.warning(
                "the descriptor limit is too low for --max-connections; serving fewer connections (raise ulimit -n)",
                metadata: ["max_connections": "\(connections.limit)", "asked": "\(configuration.maxConnections)"])
        }
        await reload()
        let group = ServiceGroup(
            configuration: .init(services: [DrainingService(service: self, application: makeApplication())],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        let state = shutdown.withLockedValue { $0 }
        if state.deadlineHit { throw DrainDeadlineExceeded(connections: state.aborted, deadline: configuration.drainTimeout) }
    }

    /// Called when the drain starts: after `drainTimeout`, resets every connection still open.
    func startDrain() {
        let first = shutdown.withLockedValue { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        logger.notice("draining", metadata: ["connections": "\(connections.count)", "deadline": "\(configuration.drainTimeout)"])
        let deadline = configuration.drainTimeout
        Task { [self] in
            try? await Task.sleep(for: deadline)
            // Closing the listener closes no accepted connection; what is open now overran the deadline.
            let open = connections.count
            guard open > 0 else { return }
            shutdown.withLockedValue {
                $0.deadlineHit = true
                $0.aborted = open
            }
            logger.error("drain deadline passed; resetting the connections still open", metadata: ["connections": "\(open)"])
            connections.abortAll()
        }
    }

    /// Raises the soft descriptor limit to the hard one and returns it (the connection limits
    /// are fitted to it).
    static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}

/// Runs the application and starts the drain clock when graceful shutdown begins.
struct DrainingService<App: ApplicationProtocol>: Service {
    let service: TriageService
    let application: App

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: {
            service.startDrain()
        }
    }
}

/// Reloads on SIGHUP and, with `watch`, when the rule-set folder changes.
///
/// Signals that arrive while a reload runs are coalesced into one more reload, and none starts
/// once the drain has begun, so a burst of SIGHUPs cannot hold up shutdown.
struct ReloadService: Service {
    let service: TriageService

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        let (requests, request) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in signals {
                        if Task.isCancelled || service.isShuttingDown { break }
                        request.yield()
                    }
                    request.finish()
                }
                group.addTask {
                    for await _ in requests {
                        if Task.isCancelled || service.isShuttingDown { break }
                        await service.reload()
                    }
                }
                if service.configuration.watch, let directory = service.store.directory {
                    group.addTask { await watch(directory) }
                }
                await group.waitForAll()
            }
        }
    }

    private func watch(_ directory: String) async {
        var last = FolderSignature(directory)
        service.logger.info("watching the rule-set folder", metadata: ["source": "\(directory)"])
        while !Task.isCancelled && !service.isShuttingDown {
            try? await Task.sleep(for: service.configuration.watchInterval)
            let now = FolderSignature(directory)
            if now != last {
                last = now
                await service.reload()
            }
        }
    }
}

/// Paths, sizes and modification times of the YAML files below a folder: cheap change detection.
struct FolderSignature: Equatable {
    var entries: [String] = []

    init(_ directory: String) {
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: directory) else { return }
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") else { continue }
            let attrs = try? fm.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(rel))
            let size = (attrs?[.size] as? NSNumber)?.int64Value ?? -1
            let mtime = (attrs?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            entries.append("\(rel)\t\(size)\t\(mtime)")
        }
        entries.sort()
    }
}

/// Maps every error to the JSON error shape, records metrics and writes the access log
/// (method, path, status, latency, rule-set version; never the body), and adds the security
/// headers. A client's fault is a 4xx, never a 500: a request the HTTP layer cannot parse is
/// a 400 (its JSON body is written by ``HTTP1Guard``), and a client that goes away mid-request
/// is counted as 499 (client closed request) and logged at debug level.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let service: TriageService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        let principal = PrincipalSlot()
        do {
            response = try await PrincipalSlot.$current.withValue(principal) { try await next(request, context) }
        } catch let error as APIError {
            response = error.response
        } catch let error as any HTTPResponseError {
            response = APIError.from(status: error.status).response
        } catch let error as HTTPParserError {
            // Hummingbird answers it (400, then the connection closes); rethrow so it does, once.
            record(request, context, status: 400, start: start, version: service.store.current?.version ?? "none", principal: principal)
            throw error
        } catch where Self.clientWentAway(error) {
            record(request, context, status: 499, start: start, version: service.store.current?.version ?? "none", principal: principal)
            context.logger.debug("client closed the connection during the request", metadata: ["error.type": "\(type(of: error))"])
            throw error
        } catch {
            context.logger.error("unexpected error", metadata: ["error.type": "\(type(of: error))"])
            response = APIError(.internalError, message: "internal error").response
        }
        if response.status == .notFound, let allowed = TriageService.routes[request.uri.path], !allowed.contains(request.method) {
            response = APIError(.methodNotAllowed,
                                message: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: " or "))").response
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        }
        let version: String
        if let v = response.headers[.rulesetVersion] {
            version = v
        } else {
            version = service.store.current?.version ?? "none"
            if version != "none" { response.headers[.rulesetVersion] = version }
        }
        Self.secure(&response)
        record(request, context, status: response.status.code, start: start, version: version, principal: principal)
        return response
    }

    private func record(
        _ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant, version: String, principal: PrincipalSlot
    ) {
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "NotFound"
        service.metrics.request(route: route, method: request.method.rawValue, status: status, duration: duration)
        if service.configuration.accessLog {
            let (s, atto) = duration.components
            let ms = Double(s) * 1000 + Double(atto) / 1e15
            context.logger.info(
                "access",
                metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                    "status": "\(status)", "latency_ms": "\(String(format: "%.3f", ms))",
                    "ruleset": "\(version)",
                    "principal": "\(principal.name ?? "-")",
                ])
        }
    }

    /// The connection failed under the request (reset, closed, half-closed): nobody is left to answer.
    static func clientWentAway(_ error: any Error) -> Bool {
        error is IOError || error is ChannelError || error is CancellationError
    }

    /// `nosniff` on every response; on the page, a content security policy that allows only
    /// its own scripts, styles and API calls and no framing.
    static func secure(_ response: inout Response) {
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            response.headers[.xFrameOptions] = "DENY"
            response.headers[.referrerPolicy] = "no-referrer"
        }
    }
}

/// Runs the classification routes through the ``WorkLimiter``: the body is read first (so a
/// slow upload holds no worker), then the request waits for a worker or is refused with 503
/// `overloaded` when too many already wait.
struct WorkMiddleware<Context: RequestContext>: RouterMiddleware {
    let service: TriageService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = service.configuration.maxBodyBytes
        var request = request
        // A declared oversize body is refused by the handler without reading it.
        let declared = request.headers[.contentLength].flatMap(Int.init) ?? 0
        if declared <= limit {
            do {
                let body = try await request.collectBody(upTo: limit)
                request.body = RequestBody(buffer: body)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw APIError(.bodyTooLarge, message: "request body exceeds \(limit) bytes")
            }
        }
        let buffered = request
        do {
            return try await service.work.run { try await next(buffered, context) }
        } catch is WorkLimiter.Overloaded {
            service.metrics.overloadedRequest()
            let load = service.work.load
            var response = APIError(
                .overloaded,
                message: "\(load.running) classification request(s) in progress and \(load.waiting) waiting, the most this server takes; retry shortly"
            ).response
            response.headers[.retryAfter] = "1"
            return response
        }
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
