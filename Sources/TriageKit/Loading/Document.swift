package import YAML

/// Every file of a rule set parsed once. The loader, the linter and the QA registers
/// (known false positives, known misses) all read this one parse.
package struct RuleDocument: Sendable {
    /// One parsed file.
    package struct File: Sendable {
        /// Path relative to the rule-set root.
        package var path: String
        /// The text, for quoting lines and placing findings.
        package var text: String
        /// The root mapping, or `nil` when the file is empty or did not parse.
        package var root: Node?

        /// Calls `body` with a reader for the section `schema` of this file: for a list section,
        /// one reader per entry (validated against the section's fields); for a mapping section,
        /// one reader for the mapping.
        package func forEach(_ schema: SectionSchema, sink: DiagnosticSink, _ body: (MapReader) -> Void) {
            guard let value = root?[schema.name] else { return }
            if case .null = value.kind { return }
            func loc(_ n: Node) -> SourceLocation { SourceLocation(path: path, line: n.mark.line, column: n.mark.column) }
            switch schema.shape {
            case .mapping:
                guard value.pairs != nil else {
                    sink.error(loc(value), "'\(schema.name)' must be a mapping, not \(value.kindName)", code: "type")
                    return
                }
                let r = MapReader(node: value, path: path, entry: nil, sink: sink, fields: schema.fields, what: schema.entryName)
                r.validate()
                body(r)
            case .list:
                guard let elements = value.elements else {
                    sink.error(loc(value), "'\(schema.name)' must be a list of entries, not \(value.kindName)", code: "type",
                               hint: value.pairs != nil ? "write each entry as a list item starting with '- ' (每一条以 '- ' 开头)" : nil)
                    return
                }
                for element in elements {
                    guard element.pairs != nil else {
                        sink.error(loc(element), "each entry of '\(schema.name)' must be a mapping, not \(element.kindName)", code: "type")
                        continue
                    }
                    let id = element["id"]?.scalar ?? element["rule"]?.scalar
                    let r = MapReader(node: element, path: path, entry: id, sink: sink, fields: schema.fields, what: schema.entryName)
                    r.validate()
                    body(r)
                }
            }
        }
    }

    /// The files, in path order.
    package var files: [File]
    /// Files with YAML errors: their sections are missing, so references into them may be too.
    package var unparsed: [String] = []

    /// Source text per path.
    package var sources: [String: String] { Dictionary(files.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a }) }

    /// Parses every file of `source`; YAML errors, bad encodings and files that are not a mapping of
    /// known sections go to `sink`.
    package static func parse(_ source: RuleSource, sink: DiagnosticSink, limits: RuleSetLimits = .default) -> RuleDocument {
        var files: [File] = []
        // Files that could not be read or parsed: what they define is missing.
        var unparsed: [String] = source.problems.map(\.path)
        for problem in source.problems { sink.diagnostics.append(problem) }
        let names = RuleFileSchema.sections.map(\.name)
        var totalBytes = 0
        for file in source.files {
            totalBytes += file.contents.count
            guard file.contents.count <= limits.maxFileBytes else {
                sink.error(SourceLocation(path: file.path, line: 1, column: 1),
                           "file is \(file.contents.count) bytes; a rule file may have at most \(limits.maxFileBytes) bytes", code: "limit")
                unparsed.append(file.path)
                continue
            }
            guard totalBytes <= limits.maxTotalBytes else {
                sink.error(SourceLocation(path: file.path, line: 1, column: 1),
                           "the rule files reach \(totalBytes) bytes here; all together may have at most \(limits.maxTotalBytes)", code: "limit")
                unparsed.append(file.path)
                break
            }
            guard let text = String(validating: file.contents, as: UTF8.self) else {
                let offset = MessageRecord.firstInvalidUTF8(file.contents) ?? 0
                let mark = Mark(ofByte: offset, in: file.contents)
                // Keep the valid lines before the bad byte, so the caret has a line to point into.
                files.append(File(path: file.path, text: String(decoding: file.contents.prefix(offset), as: UTF8.self), root: nil))
                sink.error(SourceLocation(path: file.path, line: mark.line, column: mark.column),
                           "invalid UTF-8 (byte 0x\(String(file.contents[offset], radix: 16, uppercase: true))); rule files must be UTF-8",
                           code: "yaml-syntax")
                unparsed.append(file.path)
                continue
            }
            var parsed = File(path: file.path, text: text, root: nil)
            let doc = YAMLDocument.parse(file.contents)
            if doc.errors.contains(where: { $0.id != "duplicate-key" }) { unparsed.append(file.path) }
            for e in doc.errors {
                let (message, hint) = YAMLHints.explain(e, text: text)
                sink.error(SourceLocation(path: file.path, line: e.mark.line, column: e.mark.column), message,
                           code: e.id == "duplicate-key" ? "duplicate-key" : "yaml-syntax", hint: hint)
            }
            if let root = doc.root {
                if root.pairs != nil {
                    parsed.root = root
                    let reader = MapReader(node: root, path: file.path, entry: nil, sink: sink,
                                           fields: RuleFileSchema.sections.map { Field($0.name, .string, $0.summary) }, what: "a rule-set file")
                    reader.validate()
                } else {
                    sink.error(SourceLocation(path: file.path, line: root.mark.line, column: root.mark.column),
                               "a rule-set file must be a mapping of sections (\(names.joined(separator: ", ")))", code: "type")
                    unparsed.append(file.path)
                }
            }
            files.append(parsed)
        }
        return RuleDocument(files: files, unparsed: unparsed)
    }

    /// Parses one standalone YAML file (a thresholds file, a corpus part manifest) the same way.
    package static func parse(bytes: [UInt8], path: String, sink: DiagnosticSink) -> File {
        let text = String(decoding: bytes, as: UTF8.self)
        let doc = YAMLDocument.parse(bytes)
        for e in doc.errors {
            let (message, hint) = YAMLHints.explain(e, text: text)
            sink.error(SourceLocation(path: path, line: e.mark.line, column: e.mark.column), message,
                       code: e.id == "duplicate-key" ? "duplicate-key" : "yaml-syntax", hint: hint)
        }
        return File(path: path, text: text, root: doc.root)
    }

    /// Calls `body` with a reader for every entry of section `schema` in every file.
    package func forEach(_ schema: SectionSchema, sink: DiagnosticSink, _ body: (MapReader) -> Void) {
        for f in files { f.forEach(schema, sink: sink, body) }
    }

    /// The lines of every file, for line-based checks (line width).
    package var lines: [(path: String, lines: [Substring])] {
        files.map { ($0.path, $0.text.split(separator: "\n", omittingEmptySubsequences: false)) }
    }
}
