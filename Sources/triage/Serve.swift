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
            set is logged and the previous one keeps serving. SIGTERM stops accepting, lets in-flight \
            requests finish within --drain-timeout, then exits (status 1 when the deadline cut some \
            off). Access logs never contain message text. Every limit is in docs/limits.md.
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

    @Option(name: .customLong("max-text"), help: "Most characters in one message's text (400 too_long above).")
    var maxText = MessageRecord.defaultMaxTextLength

    @Option(name: .customLong("max-evidence"), help: "Most evidence spans in one result (the rest are counted; evidence_truncated).")
    var maxEvidence = TriageEngine.defaultMaxEvidence

    @Option(name: .customLong("max-connections"), help: "Connections served at once (above: only health checks, else 503).")
    var maxConnections = 1024

    @Option(name: .customLong("max-connections-per-client"), help: "Connections one client address may hold (more are closed at once).")
    var maxConnectionsPerClient = 256

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may sit idle, or stall an upload or a download.")
    var idleTimeout = 30.0

    @Option(name: .customLong("drain-timeout"), help: "Seconds in-flight requests get to finish after SIGTERM.")
    var drainTimeout = 10.0

    @Option(name: .long, help: "Classification requests running at once (default: one per processor).")
    var workers = ServerConfiguration.processors

    @Option(name: .customLong("max-queue"), help: "Classification requests waiting for a worker (503 overloaded above).")
    var maxQueue = 64

    @Option(name: .customLong("max-rule-file-bytes"), help: "Largest rule file a reload reads.")
    var maxRuleFileBytes = RuleSetLimits.default.maxFileBytes

    @Option(name: .customLong("max-rule-entries"), help: "Most entries (rules, items, departments ...) in a rule set.")
    var maxRuleEntries = RuleSetLimits.default.maxEntries

    @Option(name: .customLong("max-pattern-length"), help: "Most characters in one pattern or alias.")
    var maxPatternLength = RuleSetLimits.default.maxPatternLength

    @Option(name: .customLong("log-buffer-bytes"), help: "Log bytes held while standard error is not read; more are dropped and counted.")
    var logBufferBytes = 1 << 20

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
        for (flag, value) in [("--max-text", maxText), ("--max-connections", maxConnections), ("--workers", workers),
                              ("--max-connections-per-client", maxConnectionsPerClient),
                              ("--max-rule-file-bytes", maxRuleFileBytes), ("--max-rule-entries", maxRuleEntries),
                              ("--max-pattern-length", maxPatternLength), ("--log-buffer-bytes", logBufferBytes)] {
            guard value > 0 else { throw ValidationError("\(flag) must be positive") }
        }
        guard maxEvidence >= 0, maxQueue >= 0 else { throw ValidationError("--max-evidence and --max-queue must not be negative") }
        guard idleTimeout > 0, drainTimeout > 0, idleTimeout.isFinite, drainTimeout.isFinite else {
            throw ValidationError("--idle-timeout and --drain-timeout must be positive numbers of seconds")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if watch, RuleSetLocator.resolve(option: rulesOptions.rules) == nil {
            throw ValidationError("--watch needs a rule-set folder (--rules DIR, TRIAGE_RULES or ./rules); the bundled rules cannot change")
        }
    }

    func run() async throws {
        BufferedLogHandler.maxBufferedBytes = logBufferBytes
        LoggingSystem.bootstrap(BufferedLogHandler.init)
        var logger = Logger(label: "triage.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let limits = RuleSetLimits(maxFileBytes: maxRuleFileBytes, maxEntries: maxRuleEntries, maxPatternLength: maxPatternLength)
        let store: RuleSetStore
        if let (path, _) = RuleSetLocator.resolve(option: rulesOptions.rules) {
            store = RuleSetStore(directory: path, limits: limits, maxEvidence: maxEvidence)
        } else {
            store = RuleSetStore(label: "<bundled>", maxEvidence: maxEvidence) { RuleSetLoader.load(RuleInput.bundled, limits: limits) }
        }
        var config = ServerConfiguration()
        config.host = host
        config.port = port
        config.watch = watch
        config.maxBodyBytes = maxBody
        config.maxBatch = maxBatch
        config.maxTextLength = maxText
        config.maxConnections = maxConnections
        config.maxConnectionsPerClient = maxConnectionsPerClient
        config.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        config.drainTimeout = .milliseconds(Int64(drainTimeout * 1000))
        config.workers = workers
        config.maxQueue = maxQueue
        config.ruleLimits = limits
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
        do {
            try await TriageService(store: store, configuration: config, logger: logger).run()
        } catch let error as TriageService.DrainDeadlineExceeded {
            logger.error("exiting with status 1: \(error)")
            BufferedLogHandler.flush()
            throw ExitCode(1)
        }
    }
}
