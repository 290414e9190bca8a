import ArgumentParser
import Foundation
import Logging
import TriageKit
import TriageServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API and the pre-review page (浦东新区意见征询预审分拨).",
        discussion: """
            Endpoints: POST /v1/triage, POST /v1/triage/batch, GET /v1/ruleset, /healthz, /readyz, \
            /metrics, /openapi.yaml, and the page at /. See docs/http.md.
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

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBody > 0 else { throw ValidationError("--max-body must be positive") }
        guard maxBatch > 0 else { throw ValidationError("--max-batch must be positive") }
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
        defer { BufferedLogHandler.flush() }
        try await TriageService(store: store, configuration: config, logger: logger).run()
    }
}
