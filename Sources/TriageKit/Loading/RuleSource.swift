import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a rule set: relative path and bytes. Read from a folder, from a
/// git revision, or built in memory by tests.
public struct RuleSource: Sendable {
    /// One file.
    public struct File: Sendable {
        /// Path relative to the rule-set root, with `/` separators.
        public var path: String
        /// Raw bytes.
        public var contents: [UInt8]
        /// Creates a file.
        public init(path: String, contents: [UInt8]) {
            self.path = path
            self.contents = contents
        }
        /// Creates a file from text.
        public init(path: String, text: String) {
            self.init(path: path, contents: Array(text.utf8))
        }
    }

    /// The files, sorted by path.
    public var files: [File]
    /// A label for messages: the folder or revision it came from.
    public var origin: String
    /// Files and folders of the rule set that could not be read (no permission, a dangling
    /// link, too large), one error each with its path. The loader reports them, so a rule set
    /// with an unreadable part never loads as if that part were empty.
    public var problems: [Diagnostic] = []

    /// Creates a source from files.
    public init(files: [File], origin: String = "<memory>") {
        self.files = files.sorted { $0.path < $1.path }
        self.origin = origin
    }

    /// Reads every `*.yaml` / `*.yml` file below `directory`, following symbolic links.
    ///
    /// Every folder or rule file that cannot be read is recorded in ``problems`` with its path,
    /// and reading goes on, so the first unreadable file does not hide the others. A file
    /// larger than `maxFileBytes` is a problem and is not read.
    /// - Throws: ``Diagnostic`` when `directory` itself does not exist or is not a folder.
    public static func directory(_ directory: String, maxFileBytes: Int = RuleSetLimits.default.maxFileBytes) throws(Diagnostic) -> RuleSource {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            if errno == ENOENT { throw Diagnostic(.error, path: directory, message: "rule-set folder not found", code: "io") }
            throw Diagnostic(.error, path: directory, message: "cannot read the rule-set folder: \(Self.errorText())", code: "io")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw Diagnostic(.error, path: directory, message: "not a folder", code: "io")
        }
        var walker = Walker(root: directory, maxFileBytes: maxFileBytes)
        walker.visited.insert(FileID(info))
        walker.walk(relative: "")
        var source = RuleSource(files: walker.files, origin: directory)
        source.problems = walker.problems.sorted { $0.path < $1.path }
        return source
    }

    /// The content hash: SHA-256 over every file's path and bytes, in path order.
    public var contentHash: String {
        var all: [UInt8] = []
        for f in files {
            all += Array(f.path.utf8)
            all.append(0)
            all += f.contents
            all.append(0)
        }
        return SHA256.hex(all)
    }

    fileprivate static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    fileprivate static func isRuleFile(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }
}

/// Device and inode: a folder reached twice through links is read once.
private struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64
    init(_ s: stat) {
        device = UInt64(s.st_dev)
        inode = UInt64(s.st_ino)
    }
}

/// Walks a rule-set folder with the POSIX calls, so that every failure is seen
/// (Foundation's enumerator skips unreadable folders and dangling links silently).
private struct Walker {
    let root: String
    let maxFileBytes: Int
    var files: [RuleSource.File] = []
    var problems: [Diagnostic] = []
    var visited = Set<FileID>()

    init(root: String, maxFileBytes: Int) {
        self.root = root
        self.maxFileBytes = maxFileBytes
    }

    func full(_ relative: String) -> String {
        relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
    }

    mutating func problem(_ relative: String, _ message: String) {
        problems.append(Diagnostic(.error, path: relative.isEmpty ? root : relative, message: message, code: "io"))
    }

    mutating func walk(relative: String) {
        guard let dir = opendir(full(relative)) else {
            problem(relative, "cannot read the folder: \(RuleSource.errorText()); its rule files would be missing")
            return
        }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { problem(relative, "cannot list the folder: \(RuleSource.errorText())") }
                break
            }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names.sorted() {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let path = full(rel)
            var link = stat()
            guard lstat(path, &link) == 0 else {
                if RuleSource.isRuleFile(name) { problem(rel, "cannot read: \(RuleSource.errorText())") }
                continue
            }
            var info = link
            if link.st_mode & S_IFMT == S_IFLNK {
                guard stat(path, &info) == 0 else {
                    // A link whose target is gone: a rule file that silently vanished would change results.
                    if RuleSource.isRuleFile(name) {
                        problem(rel, "dangling symbolic link to '\(Self.target(of: path))': \(RuleSource.errorText())")
                    }
                    continue
                }
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard visited.insert(FileID(info)).inserted else { continue }
                walk(relative: rel)
            case S_IFREG where RuleSource.isRuleFile(name):
                readFile(rel, size: Int(info.st_size))
            default:
                continue
            }
        }
    }

    mutating func readFile(_ rel: String, size: Int) {
        guard size <= maxFileBytes else {
            problem(rel, "file is \(size) bytes; a rule file may have at most \(maxFileBytes) bytes")
            return
        }
        let fd = open(full(rel), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            problem(rel, "cannot read: \(RuleSource.errorText())")
            return
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                problem(rel, "cannot read: \(RuleSource.errorText())")
                return
            }
            if n == 0 { break }
            bytes += chunk[..<n]
            if bytes.count > maxFileBytes {
                problem(rel, "file has more than \(maxFileBytes) bytes, the most a rule file may have")
                return
            }
        }
        files.append(RuleSource.File(path: rel, contents: bytes))
    }

    static func target(of path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return "?" }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
