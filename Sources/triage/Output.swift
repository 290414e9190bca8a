import Foundation

/// Buffered standard output and unbuffered standard error.
enum Output {
    nonisolated(unsafe) static var buffer: [UInt8] = []

    static func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    static func line(_ s: String) { write(s + "\n") }

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
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var eof = false

    mutating func next() -> [UInt8]? {
        while true {
            if let nl = pending.firstIndex(of: 0x0A) {
                var line = Array(pending[..<nl])
                pending.removeSubrange(...nl)
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            if eof {
                guard !pending.isEmpty else { return nil }
                defer { pending.removeAll() }
                return pending
            }
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n <= 0 { eof = true } else { pending.append(contentsOf: chunk[..<n]) }
        }
    }
}
