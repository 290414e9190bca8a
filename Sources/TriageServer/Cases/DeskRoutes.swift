import Foundation
import Hummingbird
import ServiceLifecycle
import TriageCases
import TriageKit

extension TriageService {
    /// The pre-review desk's routes: the glossary and the page's further assets and print view
    /// always; with a desk (``ServerConfiguration/cases``) also sign-in and `/v1/cases`, each behind
    /// ``DeskAuthMiddleware`` with the access it needs.
    func registerDesk(on router: Router<BasicRequestContext>) {
        let h = Endpoints(store: store, metrics: metrics, configuration: configuration)
        let glossary = Glossary()
        router.get("/v1/ruleset/glossary") { _, _ in glossary.response(try h.snapshot()) }
        for file in PageAssets.deskFiles {
            router.get(RouterPath(stringLiteral: "/assets/" + file.name)) { _, _ in asset(file.text, type: file.type) }
        }
        // The print view is a static page; the case it shows comes from GET /v1/cases/{id} with the cookie.
        // An id that cannot be a case's (not a positive integer) is 404 here as on /v1/cases/{id}.
        router.get("/cases/{id}/print") { _, context in
            let raw = context.parameters.get("id") ?? ""
            guard let id = Int64(raw), id > 0 else { throw APIError(.caseNotFound, message: "no case '\(raw)'") }
            return asset(PageAssets.printHTML, type: "text/html; charset=utf-8")
        }

        guard let desk = configuration.cases else { return }
        let session = SessionEndpoints(desk: desk, endpoints: h)
        let cases = CaseEndpoints(desk: desk, endpoints: h)
        func guarded(_ access: DeskAccess) -> RouterGroup<DeskRequestContext> {
            router.group(context: DeskRequestContext.self).add(middleware: DeskAuthMiddleware(desk: desk, access: access))
        }
        router.post("/v1/session") { try await session.signIn($0, $1) }
        guarded(.staff).get("/v1/session") { try await session.current($0, $1) }
        guarded(.staffWrite).delete("/v1/session") { try await session.signOut($0, $1) }
        guarded(.read)
            .get("/v1/cases") { try await cases.list($0, $1) }
            .get("/v1/cases/{id}") { try await cases.read($0, $1) }
        // Intake classifies: it shares the worker pool and queue bound of /v1/triage (503 overloaded).
        guarded(.write).add(middleware: WorkMiddleware(service: self))
            .post("/v1/cases") { try await cases.create($0, $1) }
            .post("/v1/cases/batch") { try await cases.batch($0, $1) }
        guarded(.write).post("/v1/cases/{id}/reply") { try await cases.reply($0, $1) }
        guarded(.staffWrite).post("/v1/cases/{id}/decision") { try await cases.decide($0, $1) }
    }

    /// The group the classify endpoints are registered in: open, or behind a session or a token with
    /// the `classify` scope when the desk says so (``CaseDesk/protectClassify``).
    func classifyRoutes(on router: Router<BasicRequestContext>) -> RouterGroup<DeskRequestContext> {
        router.group(context: DeskRequestContext.self).add(middleware: DeskAuthMiddleware(desk: configuration.cases, access: .classify))
    }

    /// Services that run beside the server for the desk: its housekeeping.
    func deskServices() -> [any Service] {
        guard let desk = configuration.cases else { return [] }
        return [DeskMaintenance(desk: desk, logger: logger)]
    }
}
