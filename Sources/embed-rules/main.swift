import Foundation

// Writes Swift source that holds text files as raw string literals.
//   embed-rules RULES_DIR OUTPUT.swift               every *.yaml below RULES_DIR, as `embeddedRuleFiles`
//   embed-rules --files OUTPUT.swift NAME=PATH ...   each file as `let NAME: String`
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("embed-rules: \(message)\n".utf8))
    exit(2)
}

/// A raw multi-line string literal holding `text` exactly.
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\"\"\"" + hashes) { hashes += "#" }
    return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
}

func read(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    // Invalid UTF-8 is kept as replacement characters; the loader reports it for the folder itself.
    return String(decoding: data, as: UTF8.self)
}

let args = Array(CommandLine.arguments.dropFirst())
var out = "// Generated at build time by embed-rules. Do not edit.\n\n"
let outputPath: String
if args.first == "--files" {
    guard args.count >= 2 else { fail("usage: embed-rules --files OUTPUT.swift NAME=PATH ...") }
    outputPath = args[1]
    for pair in args.dropFirst(2) {
        guard let eq = pair.firstIndex(of: "=") else { fail("expected NAME=PATH, got \(pair)") }
        let name = String(pair[..<eq]), path = String(pair[pair.index(after: eq)...])
        out += "/// \((path as NSString).lastPathComponent), embedded at build time.\n"
        out += "let \(name): String = \(literal(read(path)))\n\n"
    }
} else {
    guard args.count == 2 else { fail("usage: embed-rules RULES_DIR OUTPUT.swift") }
    outputPath = args[1]
    let root = URL(fileURLWithPath: args[0])
    var files: [(String, String)] = []
    if let e = FileManager.default.enumerator(atPath: root.path) {
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") else { continue }
            files.append((rel, read(root.appendingPathComponent(rel).path)))
        }
    }
    files.sort { $0.0 < $1.0 }
    out += "/// The files of the bundled rule set: relative path and text.\n"
    out += "public let embeddedRuleFiles: [(path: String, text: String)] = [\n"
    for (path, text) in files { out += "    (#\"\(path)\"#, \(literal(text))),\n" }
    out += "]\n"
}
do {
    try out.write(to: URL(fileURLWithPath: outputPath), atomically: true, encoding: .utf8)
} catch {
    fail("\(error)")
}
