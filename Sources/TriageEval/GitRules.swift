import Foundation
public import TriageKit

/// Reads a rule set from a folder or from a git revision of the repository in the working directory.
public enum RuleSourceResolver {
    /// A folder when `spec` names one; otherwise a git revision, whose `gitPath` folder is read with
    /// `git ls-tree -r --name-only REV -- PATH/` and `git show REV:./PATH/FILE`.
    /// - Throws: a one-line ``Diagnostic`` when it is neither.
    public static func resolve(_ spec: String, gitPath: String = "rules", workingDirectory: String? = nil) throws(Diagnostic) -> RuleSource {
        var isDir: ObjCBool = false
        let fm = FileManager.default
        let asPath = workingDirectory.map { ($0 as NSString).appendingPathComponent(spec) } ?? spec
        if fm.fileExists(atPath: spec.hasPrefix("/") ? spec : asPath, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw Diagnostic(.error, path: spec, message: "not a folder: a rules folder or a git revision is expected", code: "io")
            }
            return try RuleSource.directory(spec.hasPrefix("/") ? spec : asPath)
        }
        return try git(revision: spec, path: gitPath, workingDirectory: workingDirectory)
    }

    /// The rule set at `path` in git revision `revision`.
    public static func git(revision: String, path: String, workingDirectory: String? = nil) throws(Diagnostic) -> RuleSource {
        func fail(_ m: String) -> Diagnostic { Diagnostic(.error, path: revision, message: m, code: "git") }
        guard !revision.hasPrefix("-") else { throw fail("'\(revision)' is neither a rules folder nor a git revision") }
        let verify = run(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], in: workingDirectory)
        guard let verified = verify, verified.status == 0 else {
            if verify == nil { throw fail("cannot run git to read revision '\(revision)'") }
            throw fail("'\(revision)' is neither a rules folder nor a known git revision")
        }
        let commit = String(decoding: verified.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let dir = path.hasSuffix("/") ? path : path + "/"
        guard let list = run(["ls-tree", "-r", "--name-only", commit, "--", dir], in: workingDirectory), list.status == 0 else {
            throw fail("git ls-tree failed for '\(revision)'")
        }
        let names = String(decoding: list.output, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        guard !names.isEmpty else { throw fail("no rule files under '\(dir)' in revision '\(revision)'") }
        // ls-tree prints paths relative to the working directory; `REV:./x` reads them the same way.
        var files: [RuleSource.File] = []
        for name in names {
            guard let show = run(["show", "\(commit):./\(name)"], in: workingDirectory), show.status == 0 else {
                throw fail("git show failed for '\(name)' in '\(revision)'")
            }
            var rel = name
            if rel.hasPrefix(dir) { rel.removeFirst(dir.count) } else if let r = rel.range(of: "/" + dir) { rel = String(rel[r.upperBound...]) }
            files.append(RuleSource.File(path: rel, contents: show.output))
        }
        return RuleSource(files: files, origin: "\(revision):\(path)")
    }

    /// Runs git, capturing standard output; standard error is discarded. `nil` when git cannot start.
    static func run(_ args: [String], in dir: String?) -> (status: Int32, output: [UInt8])? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, [UInt8](data))
    }
}
