import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered standard output and unbuffered standard error, with every error handled.
///
/// Writes wait out `EAGAIN` (a non-blocking pipe or terminal) and `EINTR`. Any other write
/// error (a full disk, a closed pipe) ends the program with a message and exit status 1, so
/// that output is never cut short while the exit status says all went well. What is still
/// buffered when the program exits is written then, with the same care.
enum Output {
    nonisolated(unsafe) static var buffer: [UInt8] = []
    nonisolated(unsafe) private static var exitHookInstalled = false
    nonisolated(unsafe) private static var failing = false

    static func write(_ s: String) {
        if !exitHookInstalled {
            exitHookInstalled = true
            atexit { Output.flush() }
        }
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    static func line(_ s: String) { write(s + "\n") }

    /// Lets `body` append one line's bytes (without the newline) straight to the buffer.
    static func line(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    static func flush() {
        guard !buffer.isEmpty, !failing else { return }
        let error = buffer.withUnsafeBytes { StandardIO.writeAll(1, $0) }
        buffer.removeAll(keepingCapacity: true)
        if let error {
            failing = true
            StandardIO.writeText(2, "triage: cannot write standard output: \(StandardIO.describe(error)); the output is incomplete\n")
            // `_exit`, not `exit`: this may run inside the exit hook, where `exit` must not be called again.
            _exit(1)
        }
    }

    static func error(_ s: String) {
        flush()
        // Nowhere is left to report a failure to write standard error; the exit status still tells.
        StandardIO.writeText(2, s + "\n")
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Reads all of standard input, at most `limit` bytes. Exits 1 with a message on a read
    /// error or when the input is longer than `limit`.
    static func readAllInput(limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n: Int
            switch StandardIO.read(0, &chunk) {
            case .success(let count): n = count
            case .failure(let code):
                error("triage: cannot read standard input: \(StandardIO.describe(code))")
                exit(1)
            }
            if n == 0 { return out }
            out += chunk[..<n]
            if out.count > limit {
                error("triage: standard input is longer than \(limit) bytes (--max-line-bytes)")
                exit(1)
            }
        }
    }
}

/// The system calls under `Output` and `LineReader`: whole writes and reads that wait out
/// `EAGAIN` with `poll` and retry on `EINTR`.
enum StandardIO {
    /// Writes every byte; returns `nil`, or the `errno` of the write that failed.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 {
                offset += n
                continue
            }
            let code = n < 0 ? errno : EAGAIN
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: wait(fd, for: Int16(POLLOUT))
            default: return code
            }
        }
        return nil
    }

    /// Writes text, ignoring failure (for standard error).
    static func writeText(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of input.
    static func read(_ fd: Int32, _ buffer: inout [UInt8]) -> Result<Int, Errno> {
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n >= 0 { return .success(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: wait(fd, for: Int16(POLLIN))
            case let code: return .failure(Errno(code: code))
            }
        }
    }

    /// Blocks until `fd` is ready (a non-blocking descriptor that said "try again").
    static func wait(_ fd: Int32, for events: Int16) {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while poll(&p, 1, -1) < 0 && errno == EINTR {}
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
    static func describe(_ error: Errno) -> String { describe(error.code) }

    /// An `errno` value as an error.
    struct Errno: Error {
        var code: Int32
    }
}

/// Reads standard input line by line as raw bytes, in time linear in the input: each byte is
/// searched for a newline once. A line longer than `maxLineBytes` is not kept in memory; it
/// comes back as `.tooLong` and reading goes on with the next line. A UTF-8 byte-order mark
/// at the very start of the input is skipped.
struct LineReader {
    /// One line of input.
    enum Line {
        /// The line's bytes, without the line break (LF or CR LF).
        case line([UInt8])
        /// A line longer than the limit, dropped; `bytes` is its length.
        case tooLong(bytes: Int)
    }

    let maxLineBytes: Int
    private let fd: Int32
    private var pending: [UInt8] = []
    /// Where the unread part of `pending` starts.
    private var start = 0
    /// Where the search for the next newline resumes (bytes before it hold none).
    private var scanned = 0
    /// Bytes of an over-long line dropped so far, when one is being skipped.
    private var skipping: Int?
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var eof = false
    private var atStart = true

    init(maxLineBytes: Int, fd: Int32 = 0) {
        self.maxLineBytes = maxLineBytes
        self.fd = fd
    }

    /// The next line, or `nil` at the end of input. Exits 1 with a message on a read error.
    mutating func next() -> Line? {
        while true {
            if let nl = pending[scanned...].firstIndex(of: 0x0A) {
                let lineEnd = nl
                let begin = start
                start = nl + 1
                scanned = start
                if let dropped = skipping {
                    skipping = nil
                    return .tooLong(bytes: dropped + (lineEnd - begin))
                }
                if lineEnd - begin > maxLineBytes { return .tooLong(bytes: lineEnd - begin) }
                return .line(trimmed(pending[begin..<lineEnd]))
            }
            scanned = pending.count
            if pending.count - start > maxLineBytes {
                // Drop what there is of an over-long line instead of holding it.
                skipping = (skipping ?? 0) + (pending.count - start)
                pending.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            }
            if eof {
                if let dropped = skipping {
                    skipping = nil
                    return .tooLong(bytes: dropped + pending.count - start)
                }
                guard start < pending.count else { return nil }
                defer { pending.removeAll(); start = 0; scanned = 0 }
                return .line(trimmed(pending[start...]))
            }
            fill()
        }
    }

    /// The line without its CR, and without a byte-order mark when it is the first line.
    private mutating func trimmed(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var line = bytes
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        }
        if line.last == 0x0D { line = line.dropLast() }
        return Array(line)
    }

    private mutating func fill() {
        // Keep the unread tail only: the buffer never grows past one line and one chunk.
        if start > 0 {
            pending.removeSubrange(..<start)
            scanned -= start
            start = 0
        }
        switch StandardIO.read(fd, &chunk) {
        case .success(0):
            eof = true
        case .success(let n):
            pending += chunk[..<n]
        case .failure(let error):
            Output.error("triage: cannot read standard input: \(StandardIO.describe(error))")
            exit(1)
        }
    }
}
