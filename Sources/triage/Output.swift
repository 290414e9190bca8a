import Foundation

/// Buffered standard output and unbuffered standard error.
enum Output {
    nonisolated(unsafe) static var buffer: [UInt8] = []

    static func write(_ s: String) {
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
        buffer.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                let n = Foundation.write(1, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func error(_ s: String) {
        flush()
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Reads all of standard input.
    static func readAllInput() -> [UInt8] {
        FileHandle.standardInput.readDataToEndOfFile().withUnsafeBytes { Array($0) }
    }
}

/// Reads standard input line by line as raw bytes.
struct LineReader {
    private var pending: [UInt8] = []
    /// Where the unread part of `pending` starts: lines are taken from here, and the
    /// buffer is compacted only when a read needs room, not once per line.
    private var start = 0
    /// Bytes before this offset hold no newline (a long line is not searched again after each read).
    private var searched = 0
    private var eof = false

    mutating func next() -> [UInt8]? {
        while true {
            if let nl = pending[max(start, searched)...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start && pending[end - 1] == 0x0D { end -= 1 }
                let line = Array(pending[start..<end])
                start = nl + 1
                searched = start
                return line
            }
            searched = pending.count
            if eof {
                guard start < pending.count else { return nil }
                defer { pending.removeAll(); start = 0; searched = 0 }
                return Array(pending[start...])
            }
            // Drop what was read, then read another chunk onto the end.
            if start > 0 {
                pending.removeSubrange(..<start)
                searched -= start
                start = 0
            }
            let before = pending.count
            pending.reserveCapacity(before + (1 << 16))
            pending.append(contentsOf: repeatElement(0, count: 1 << 16))
            let n = pending.withUnsafeMutableBytes { read(0, $0.baseAddress! + before, 1 << 16) }
            pending.removeSubrange((before + max(n, 0))...)
            if n <= 0 { eof = true }
        }
    }
}
