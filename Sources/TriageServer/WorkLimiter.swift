import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds classification work: at most `workers` requests classify at once, on threads of
/// their own (``WorkerPool``), and at most `maxQueue` wait for a turn; more are refused at
/// once (503 `overloaded`), so a flood of heavy requests cannot queue without bound, and the
/// threads that answer `/healthz`, `/readyz` and `/metrics` never wait behind it.
final class WorkLimiter: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }
    private let state = NIOLockedValueBox(State())
    /// Requests that may classify at once.
    let workers: Int
    /// Requests that may wait for a turn.
    let maxQueue: Int
    /// The threads classification runs on.
    let pool: WorkerPool

    init(workers: Int, maxQueue: Int) {
        self.workers = max(workers, 1)
        self.maxQueue = max(maxQueue, 0)
        pool = WorkerPool(threads: self.workers)
    }

    /// Too much work is in progress and waiting.
    struct Overloaded: Error {}

    /// Runs `body` on the worker pool once a turn is free; throws ``Overloaded`` at once when
    /// `maxQueue` requests are already waiting.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await withTaskExecutorPreference(pool) { try await body() }
    }

    /// Requests classifying now and waiting now.
    var load: (running: Int, waiting: Int) {
        state.withLockedValue { ($0.running, $0.waiting.count - $0.head) }
    }

    private func acquire() async throws {
        enum Admission { case now, wait, refuse }
        let admission = state.withLockedValue { s -> Admission in
            if s.running < workers {
                s.running += 1
                return .now
            }
            return s.waiting.count - s.head < maxQueue ? .wait : .refuse
        }
        switch admission {
        case .now: return
        case .refuse: throw Overloaded()
        case .wait:
            // Waits are first come, first served; a turn is handed over by `release`.
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let admitted = state.withLockedValue { s -> Bool in
                    if s.running < workers {
                        s.running += 1
                        return true
                    }
                    s.waiting.append(c)
                    return false
                }
                if admitted { c.resume() }
            }
        }
    }

    private func release() {
        let next = state.withLockedValue { s -> CheckedContinuation<Void, Never>? in
            guard s.head < s.waiting.count else {
                s.running -= 1
                return nil
            }
            let c = s.waiting[s.head]
            s.head += 1
            if s.head > 64 && s.head * 2 > s.waiting.count {
                s.waiting.removeFirst(s.head)
                s.head = 0
            }
            return c  // the turn passes on: `running` stays the same
        }
        next?.resume()
    }
}

/// A fixed set of threads that run Swift tasks (a `TaskExecutor`), so that CPU-bound
/// classification does not occupy the cooperative pool the HTTP layer's tasks run on.
/// The threads run at a lower priority (nice 5) than the rest of the process.
final class WorkerPool: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is only touched under `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0

    init(threads: Int) {
        for n in 0..<threads {
            let thread = Thread { [self] in loop(name: "triage-worker-\(n)") }
            thread.start()
        }
    }

    /// True on a thread of some worker pool.
    static var isWorkerThread: Bool { Thread.current.threadDictionary[key] as? Bool == true }
    private static let key = "triage.worker"

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop(name: String) {
        Thread.current.threadDictionary[Self.key] = true
        #if os(Linux)
        // The name `top -H` and debuggers show (Foundation does not set it on Linux).
        try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        // On Linux niceness is per thread, and `who` 0 is the calling thread: health checks and
        // the event loops win the CPU under load.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        #endif
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
