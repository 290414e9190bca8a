import Foundation
import Logging
import ServiceLifecycle
import TriageCases

/// The desk's housekeeping while the server runs: the store's query statistics every 10 minutes
/// (it analyses only when the number of cases has doubled, so most runs cost one count), and
/// expired sessions removed every hour. Stops at graceful shutdown.
struct DeskMaintenance: Service {
    let desk: CaseDesk
    let logger: Logger
    var statisticsEvery: Duration = .seconds(600)
    var sessionsEvery = 6

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var tick = 0
            while !Task.isCancelled {
                if tick % sessionsEvery == 0 {
                    do {
                        let removed = try await desk.store.deleteExpiredSessions(now: CaseTime.seconds(desk.now()))
                        if removed > 0 { logger.info("expired sessions removed", metadata: ["count": "\(removed)"]) }
                    } catch {
                        logger.error("removing expired sessions failed", metadata: ["error.type": "\(type(of: error))"])
                    }
                }
                if tick > 0 {
                    do {
                        if try desk.refreshStatistics() { logger.info("case store statistics refreshed") }
                    } catch {
                        logger.error("refreshing the case store statistics failed", metadata: ["error.type": "\(type(of: error))"])
                    }
                }
                tick += 1
                try? await Task.sleep(for: statisticsEvery)
            }
        }
    }
}
