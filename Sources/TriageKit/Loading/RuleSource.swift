import Foundation

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

    /// Creates a source from files.
    public init(files: [File], origin: String = "<memory>") {
        self.files = files.sorted { $0.path < $1.path }
        self.origin = origin
    }

    /// Reads every `*.yaml` / `*.yml` file below `directory`.
    /// - Throws: ``Diagnostic`` when the folder does not exist or cannot be read.
    public static func directory(_ directory: String) throws(Diagnostic) -> RuleSource {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw Diagnostic(.error, path: directory, message: "rule-set folder not found", code: "io")
        }
        guard let enumerator = fm.enumerator(atPath: directory) else {
            throw Diagnostic(.error, path: directory, message: "cannot read the rule-set folder", code: "io")
        }
        var files: [File] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            let full = (directory as NSString).appendingPathComponent(relative)
            var sub: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue else { continue }
            guard let data = fm.contents(atPath: full) else {
                throw Diagnostic(.error, path: relative, message: "cannot read file", code: "io")
            }
            files.append(File(path: relative, contents: [UInt8](data)))
        }
        return RuleSource(files: files, origin: directory)
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
}
