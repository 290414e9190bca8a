import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import ServiceLifecycle
import TriageKit
import UnixSignals

/// The `triage serve` HTTP service: classification API, rule-set info, health, metrics,
/// the OpenAPI document and the pre-review page, with hot reload of the rule set.
public final class TriageService: Sendable {
    /// The rule set being served.
    public let store: RuleSetStore
    /// Metrics rendered at `/metrics`.
    public let metrics: ServerMetrics
    /// Limits and options.
    public let configuration: ServerConfiguration
    /// Access and reload log. Never receives message text.
    public let logger: Logger

    /// Creates the service. Call `reload()` (or `run()`, which does) to load the first rule set.
    public init(store: RuleSetStore, configuration: ServerConfiguration = .init(), logger: Logger = Logger(label: "triage.serve")) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.metrics = ServerMetrics()
    }

    /// The router with every route and the access/error middleware.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessMiddleware(service: self))
        let h = Endpoints(store: store, metrics: metrics, configuration: configuration)
        let classify = classifyRoutes(on: router)
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
        return Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            services: [ReloadService(service: self)] + deskServices(),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice("listening on http://\(self.configuration.host):\(port)")
                await onServerRunning(port)
            },
            logger: logger)
    }

    /// Loads the rule set, then serves until SIGTERM or SIGINT: stops accepting, finishes
    /// in-flight requests, then returns.
    public func run() async throws {
        await reload()
        let group = ServiceGroup(
            configuration: .init(services: [makeApplication()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Reloads on SIGHUP and, with `watch`, when the rule-set folder changes.
struct ReloadService: Service {
    let service: TriageService

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in signals { await service.reload() }
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
        while !Task.isCancelled {
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
/// (method, path, status, latency, rule-set version; never the body).
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
        } catch {
            context.logger.error("unexpected error", metadata: ["error.type": "\(type(of: error))"])
            response = APIError(.internalError, message: "internal error").response
        }
        let version: String
        if let v = response.headers[.rulesetVersion] {
            version = v
        } else {
            version = service.store.current?.version ?? "none"
            if version != "none" { response.headers[.rulesetVersion] = version }
        }
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "NotFound"
        service.metrics.request(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
        if service.configuration.accessLog {
            let (s, atto) = duration.components
            let ms = Double(s) * 1000 + Double(atto) / 1e15
            context.logger.info(
                "access",
                metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                    "status": "\(response.status.code)", "latency_ms": "\(String(format: "%.3f", ms))",
                    "ruleset": "\(version)",
                    "principal": "\(principal.name ?? "-")",
                ])
        }
        return response
    }
}
