import ArgumentParser
import Foundation
import Logging
import TriageKit
import TriageCases
import TriageServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API and the pre-review page (浦东新区意见征询预审分拨).",
        discussion: """
            Endpoints: POST /v1/triage, POST /v1/triage/batch, GET /v1/ruleset, /healthz, /readyz, \
            /metrics, /openapi.yaml, and the page at /. See docs/http.md.
            With the case database (--db), also the pre-review desk: sign-in at /v1/session and the \
            cases at /v1/cases (docs/cases.md); staff accounts come from `triage users add`, tokens for \
            other systems from `triage tokens add`.
            SIGHUP reloads the rule set (so does a change to the folder with --watch); an invalid rule \
            set is logged and the previous one keeps serving. SIGTERM stops accepting, finishes \
            in-flight requests, then exits. Access logs never contain message text.
            """)

    @OptionGroup var rulesOptions: RulesOptions

    @Option(name: .long, help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to bind (0 picks a free port).")
    var port = 8080

    @Flag(name: .long, help: "Reload when a file in the rule-set folder changes.")
    var watch = false

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes (413 above).")
    var maxBody = 1 << 20

    @Option(name: .customLong("max-batch"), help: "Most messages in one batch request (413 above).")
    var maxBatch = 1000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. Access logs are info.")
    var logLevel = "info"

    @OptionGroup var caseDatabase: CaseStoreOptions

    @Option(name: .customLong("secure-cookies"), help: """
        auto: the session cookie is Secure when a TLS proxy says the request came over HTTPS \
        (X-Forwarded-Proto: https), not over plain http to 127.0.0.1; always: always Secure.
        """)
    var secureCookies: CaseDesk.SecureCookies = .auto

    @Option(name: .customLong("session-hours"), help: "How long a sign-in lasts.")
    var sessionHours = 12

    @Flag(name: .customLong("protect-classify"), help: "/v1/triage and /v1/triage/batch need a signed-in user or a token with the classify scope.")
    var protectClassify = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBody > 0 else { throw ValidationError("--max-body must be positive") }
        guard maxBatch > 0 else { throw ValidationError("--max-batch must be positive") }
        guard (1...24 * 31).contains(sessionHours) else { throw ValidationError("--session-hours must be 1…744") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if watch, RuleSetLocator.resolve(option: rulesOptions.rules) == nil {
            throw ValidationError("--watch needs a rule-set folder (--rules DIR, TRIAGE_RULES or ./rules); the bundled rules cannot change")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(BufferedLogHandler.init)
        var logger = Logger(label: "triage.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let store: RuleSetStore
        if let (path, _) = RuleSetLocator.resolve(option: rulesOptions.rules) {
            store = RuleSetStore(directory: path)
        } else {
            store = RuleSetStore(label: "<bundled>") { RuleSetLoader.load(RuleInput.bundled) }
        }
        var config = ServerConfiguration()
        config.host = host
        config.port = port
        config.watch = watch
        config.maxBodyBytes = maxBody
        config.maxBatch = maxBatch
        let (dbPath, defaulted) = caseDatabase.resolved
        do {
            config.cases = CaseDesk(store: try SQLiteCaseStore(path: dbPath), sessionLifetime: Int64(sessionHours) * 3600,
                                    secureCookies: secureCookies, protectClassify: protectClassify)
        } catch {
            logger.critical("cannot open the case database", metadata: ["db": "\(dbPath)", "error": "\(error)"])
            BufferedLogHandler.flush()
            throw ExitCode(1)
        }
        logger.notice(defaulted ? "case database (choose another with --db)" : "case database",
                      metadata: ["db": "\(dbPath)", "secure_cookies": "\(secureCookies.rawValue)", "classify": "\(protectClassify ? "protected" : "open")"])
        defer { BufferedLogHandler.flush() }
        try await TriageService(store: store, configuration: config, logger: logger).run()
    }
}
