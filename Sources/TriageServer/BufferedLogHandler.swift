import Dispatch
import Foundation
public import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler for the server's standard error: one line per event, buffered and
/// written by a thread of its own every 200 ms (at once for warnings and worse), so that
/// access logging at thousands of requests a second costs no system call per request.
///
/// Logging never blocks the caller: if nobody reads standard error (a full pipe), lines are
/// kept up to ``maxBufferedBytes`` and then dropped and counted (``droppedLines``, the
/// `triage_log_lines_dropped_total` metric, and a line saying how many once writing resumes).
public struct BufferedLogHandler: LogHandler {
    /// The shared output buffer and its writer thread.
    final class Sink: Sendable {
        static let shared = Sink()
        private struct State {
            var buffer: [UInt8] = []
            /// Lines dropped since the last note about it.
            var unreported = 0
            var dropped = 0
        }
        private let state = NIOLockedValueBox(State())
        /// Guards `output`: the bytes taken from `buffer` and not yet written.
        private let writeLock = NIOLockedValueBox<[UInt8]>([])
        private let wake = DispatchSemaphore(value: 0)
        let fd: Int32

        init(fd: Int32 = 2) {
            self.fd = fd
            let thread = Thread { [self] in
                while true {
                    _ = wake.wait(timeout: .now() + .milliseconds(200))
                    write(pollMilliseconds: 200)
                }
            }
            thread.name = "triage-log-writer"
            thread.start()
        }

        /// Lines dropped so far because the buffer was full.
        var dropped: Int { state.withLockedValue { $0.dropped } }

        func append(_ line: String, urgent: Bool) {
            let size = state.withLockedValue { s -> Int in
                guard s.buffer.count + line.utf8.count <= BufferedLogHandler.maxBufferedBytes else {
                    s.unreported += 1
                    s.dropped += 1
                    return s.buffer.count
                }
                s.buffer.append(contentsOf: line.utf8)
                return s.buffer.count
            }
            if urgent || size >= 32 * 1024 { wake.signal() }
        }

        /// Writes what is buffered, waiting for standard error at most `pollMilliseconds` at a
        /// time; what cannot be written now stays for the next round.
        func write(pollMilliseconds: Int32, until deadline: ContinuousClock.Instant? = nil) {
            writeLock.withLockedValue { output in
                let (taken, unreported) = state.withLockedValue { s -> ([UInt8], Int) in
                    defer {
                        s.buffer.removeAll(keepingCapacity: true)
                        s.unreported = 0
                    }
                    return (s.buffer, s.unreported)
                }
                if unreported > 0 {
                    let note = "\(BufferedLogHandler.timestamp()) warning triage.serve: [TriageServer] "
                        + "\(unreported) log line(s) dropped: standard error was not being read\n"
                    output.append(contentsOf: note.utf8)
                }
                if output.count + taken.count <= 2 * BufferedLogHandler.maxBufferedBytes {
                    output.append(contentsOf: taken)
                } else {
                    let lines = taken.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                    state.withLockedValue { $0.dropped += lines; $0.unreported += lines }
                }
                var offset = 0
                defer { output.removeFirst(offset) }
                while offset < output.count {
                    if let deadline, ContinuousClock.now >= deadline { return }
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    let ready = poll(&p, 1, pollMilliseconds)
                    if ready < 0 && errno == EINTR { continue }
                    guard ready > 0 else { return }
                    // At most PIPE_BUF bytes: a blocking pipe that polls writable takes them without blocking.
                    let n = output.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, min($0.count - offset, 4096)) }
                    if n > 0 {
                        offset += n
                    } else if n < 0 && errno != EAGAIN && errno != EINTR {
                        // Standard error is gone (closed, a full disk): count the lines and move on.
                        let lines = output[offset...].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                        state.withLockedValue { $0.dropped += lines }
                        offset = output.count
                    }
                }
            }
        }
    }

    /// Most bytes of log lines held while standard error is not being read (default 1 MiB).
    nonisolated(unsafe) public static var maxBufferedBytes = 1 << 20

    /// Lines dropped so far because standard error was not being read.
    public static var droppedLines: Int { Sink.shared.dropped }

    private let label: String
    /// Logger metadata.
    public var metadata: Logger.Metadata = [:]
    /// Minimum level.
    public var logLevel: Logger.Level = .info

    /// A handler for `label`.
    public init(label: String) {
        self.label = label
        _ = Sink.shared
    }

    /// Writes everything buffered so far (call before exiting), waiting for standard error
    /// at most `timeout`: an exit is never held up by a reader that went away.
    public static func flush(timeout: Duration = .seconds(2)) {
        Sink.shared.write(pollMilliseconds: 100, until: ContinuousClock.now + timeout)
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and buffers one event.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = Self.timestamp()
        line += " \(event.level) \(label):"
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        line += " [\(event.source)] \(event.message)\n"
        Sink.shared.append(line, urgent: event.level >= .warning)
    }

    /// UTC time with milliseconds, without the time-zone lock of localtime.
    static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        var t = time_t(now)
        let millis = Int32((now - now.rounded(.down)) * 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
