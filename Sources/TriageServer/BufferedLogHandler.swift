import Foundation
public import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler for the server's standard error: one line per event, buffered and
/// written at most every 200 ms (or at 32 KiB), so that access logging at thousands of
/// requests a second costs no system call per request. Warnings and worse are written at once.
public struct BufferedLogHandler: LogHandler {
    /// The shared output buffer.
    final class Sink: Sendable {
        static let shared = Sink()
        private let buffer = NIOLockedValueBox<[UInt8]>([])
        private let flushLock = NIOLock()

        private init() {
            let thread = Thread { [self] in
                while true {
                    Thread.sleep(forTimeInterval: 0.2)
                    flush()
                }
            }
            thread.name = "triage-log-flush"
            thread.start()
        }

        func append(_ line: String, urgent: Bool) {
            let size = buffer.withLockedValue { b -> Int in
                b.append(contentsOf: line.utf8)
                return b.count
            }
            if urgent || size >= 32 * 1024 { flush() }
        }

        func flush() {
            flushLock.withLock {
                let bytes = buffer.withLockedValue { b -> [UInt8] in
                    defer { b.removeAll(keepingCapacity: true) }
                    return b
                }
                var offset = 0
                while offset < bytes.count {
                    let n = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, bytes.count - offset) }
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
    }

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

    /// Writes everything buffered so far (call before exiting).
    public static func flush() { Sink.shared.flush() }

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
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
