internal import CYAML

/// A problem found while reading YAML: syntax errors from libyaml, duplicate
/// keys, and bounds on nesting and alias expansion.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Where, 1-based.
    public var mark: Mark
    /// A short machine-readable id: `syntax`, `duplicate-key`, `alias`, `depth`, `encoding`.
    public var id: String

    /// Creates an error.
    public init(message: String, mark: Mark, id: String) {
        self.message = message
        self.mark = mark
        self.id = id
    }

    public var description: String { "\(mark): \(message)" }
}

/// The result of parsing one YAML source: the document's root (if any) and every
/// error found. Duplicate keys do not stop parsing; syntax errors do.
public struct YAMLDocument: Sendable {
    /// The root node, or `nil` for an empty source or when a syntax error stopped parsing.
    public var root: Node?
    /// Errors in source order.
    public var errors: [YAMLError]

    /// Bound on nesting depth.
    public static let maxDepth = 256
    /// Bound on the number of nodes, counting every alias expansion.
    public static let maxExpandedNodes = 1_000_000

    /// Parses UTF-8 `bytes`. Only the first document of a stream is kept; a second is an error.
    public static func parse(_ bytes: [UInt8]) -> YAMLDocument {
        var builder = Builder()
        builder.run(bytes)
        return YAMLDocument(root: builder.root, errors: builder.errors)
    }

    /// Parses a string.
    public static func parse(_ text: String) -> YAMLDocument {
        parse(Array(text.utf8))
    }
}

private struct Builder {
    var root: Node?
    var errors: [YAMLError] = []
    var anchors: [String: (node: Node, size: Int)] = [:]
    var expanded = 0
    var parser: UnsafeMutablePointer<yaml_parser_t>!
    var stopped = false
    /// The source, to place reader errors (which carry only a byte offset).
    var input: [UInt8] = []

    static func mark(_ m: yaml_mark_t) -> Mark {
        Mark(line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    mutating func run(_ bytes: [UInt8]) {
        input = bytes
        // The parser must stay at one address while it parses.
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            errors.append(YAMLError(message: "cannot initialise the YAML parser", mark: Mark(line: 1, column: 1), id: "syntax"))
            return
        }
        defer { yaml_parser_delete(parser) }
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { input.deallocate() }
        _ = input.initialize(from: bytes)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)

        var documents = 0
        while !stopped, var event = next() {
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    errors.append(YAMLError(
                        message: "only one YAML document per file is allowed",
                        mark: Self.mark(event.start_mark), id: "syntax"))
                    return
                }
                guard var first = next() else { return }
                defer { yaml_event_delete(&first) }
                if first.type == YAML_DOCUMENT_END_EVENT { continue }
                let node = build(&first, depth: 0)
                if !stopped { root = node }
            default:
                continue
            }
        }
    }

    /// Returns the next event, or `nil` after recording a syntax error.
    mutating func next() -> yaml_event_t? {
        var event = yaml_event_t()
        if yaml_parser_parse(parser, &event) != 1 {
            let p = parser.pointee
            var message = p.problem.map { String(cString: $0) } ?? "invalid YAML"
            if let context = p.context { message += " (\(String(cString: context)))" }
            let id = p.error == YAML_READER_ERROR ? "encoding" : "syntax"
            var mark = Self.mark(p.problem_mark)
            if p.error == YAML_READER_ERROR {
                // Reader errors carry a byte offset, not a line: place them in the source.
                mark = Mark(ofByte: Int(p.problem_offset), in: input)
                if Int(p.problem_offset) < input.count {
                    message += " (byte 0x\(String(input[Int(p.problem_offset)], radix: 16, uppercase: true)))"
                }
            }
            errors.append(YAMLError(message: message, mark: mark, id: id))
            stopped = true
            return nil
        }
        return event
    }

    static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    mutating func record(anchor: String?, node: Node, size: Int) {
        if let anchor { anchors[anchor] = (node, size) }
    }

    /// Builds the node that starts with `event`, consuming events up to its end.
    mutating func build(_ event: inout yaml_event_t, depth: Int) -> Node {
        let mark = Self.mark(event.start_mark)
        if depth > YAMLDocument.maxDepth {
            errors.append(YAMLError(message: "nesting deeper than \(YAMLDocument.maxDepth) levels", mark: mark, id: "depth"))
            stopped = true
            return Node(kind: .null, mark: mark)
        }
        expanded += 1
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                errors.append(YAMLError(message: "unknown alias '*\(name)'", mark: mark, id: "alias"))
                return Node(kind: .null, mark: mark)
            }
            expanded += target.size
            if expanded > YAMLDocument.maxExpandedNodes {
                errors.append(YAMLError(
                    message: "aliases expand to more than \(YAMLDocument.maxExpandedNodes) nodes", mark: mark, id: "alias"))
                stopped = true
                return Node(kind: .null, mark: mark)
            }
            return target.node
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value: String
            if let v = s.value {
                value = String(decoding: UnsafeBufferPointer(start: v, count: s.length), as: UTF8.self)
            } else {
                value = ""
            }
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let node: Node
            if style == .plain && (value.isEmpty || value == "~" || value == "null") {
                node = Node(kind: .null, mark: mark)
            } else {
                node = Node(kind: .scalar(value, style), mark: mark)
            }
            record(anchor: Self.string(s.anchor), node: node, size: 1)
            return node
        case YAML_SEQUENCE_START_EVENT:
            let anchor = Self.string(event.data.sequence_start.anchor)
            let before = expanded
            var items: [Node] = []
            while !stopped, var child = next() {
                defer { yaml_event_delete(&child) }
                if child.type == YAML_SEQUENCE_END_EVENT { break }
                items.append(build(&child, depth: depth + 1))
            }
            let node = Node(kind: .sequence(items), mark: mark)
            record(anchor: anchor, node: node, size: expanded - before)
            return node
        case YAML_MAPPING_START_EVENT:
            let anchor = Self.string(event.data.mapping_start.anchor)
            let before = expanded
            var pairs: [Node.Pair] = []
            var seen: [String: Mark] = [:]
            while !stopped, var keyEvent = next() {
                defer { yaml_event_delete(&keyEvent) }
                if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                let key = build(&keyEvent, depth: depth + 1)
                guard !stopped, var valueEvent = next() else { break }
                defer { yaml_event_delete(&valueEvent) }
                let value = build(&valueEvent, depth: depth + 1)
                if let k = key.scalar {
                    if let first = seen[k] {
                        errors.append(YAMLError(
                            message: "duplicate key '\(k)' (first defined at line \(first.line), column \(first.column))",
                            mark: key.mark, id: "duplicate-key"))
                        continue
                    }
                    seen[k] = key.mark
                } else if case .null = key.kind {
                    errors.append(YAMLError(message: "empty mapping key", mark: key.mark, id: "syntax"))
                    continue
                } else {
                    errors.append(YAMLError(message: "mapping keys must be scalars, not \(key.kindName)", mark: key.mark, id: "syntax"))
                    continue
                }
                pairs.append(Node.Pair(key: key, value: value))
            }
            let node = Node(kind: .mapping(pairs), mark: mark)
            record(anchor: anchor, node: node, size: expanded - before)
            return node
        default:
            return Node(kind: .null, mark: mark)
        }
    }
}
