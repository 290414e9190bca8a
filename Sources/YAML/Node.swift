/// A position in a YAML source: 1-based line and column, columns counted in Unicode scalars.
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    /// Creates a mark from 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of byte `offset` of UTF-8 `bytes`: lines end at LF, CR LF or a lone CR
    /// (as libyaml counts them), columns count the scalars before it on its line. An offset in
    /// the middle of a scalar (or of broken UTF-8) lands on the scalar it belongs to.
    public init(ofByte offset: Int, in bytes: [UInt8]) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(max(offset, 0), bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 && b != 0x0D {
                column += 1  // a lead byte starts a new scalar; continuation bytes do not
            }
            i += 1
        }
        self.init(line: line, column: column)
    }

    public static func < (a: Mark, b: Mark) -> Bool { (a.line, a.column) < (b.line, b.column) }
    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written. libyaml resolves no types; the style lets callers
/// tell `true` from `"true"`.
public enum ScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A node of a YAML document with the place it starts in the source.
public struct Node: Sendable {
    /// A key and its value in a mapping, in source order.
    public struct Pair: Sendable {
        /// The key node (a scalar for every mapping this layer accepts).
        public var key: Node
        /// The value node.
        public var value: Node
    }

    /// The shape of a node.
    public enum Kind: Sendable {
        /// A scalar: its text and style.
        case scalar(String, ScalarStyle)
        /// A mapping, in source order. Keys are unique (duplicates are parse errors).
        case mapping([Pair])
        /// A sequence.
        case sequence([Node])
        /// An empty node (`key:` with nothing after it).
        case null
    }

    /// The node's content.
    public var kind: Kind
    /// Where the node starts (for a quoted scalar: at the opening quote).
    public var mark: Mark

    /// Creates a node.
    public init(kind: Kind, mark: Mark) {
        self.kind = kind
        self.mark = mark
    }

    /// The scalar text, or `nil` when this is not a scalar.
    public var scalar: String? {
        if case .scalar(let s, _) = kind { return s }
        return nil
    }

    /// The scalar style, or `nil` when this is not a scalar.
    public var style: ScalarStyle? {
        if case .scalar(_, let style) = kind { return style }
        return nil
    }

    /// The mapping's pairs, or `nil` when this is not a mapping.
    public var pairs: [Pair]? {
        if case .mapping(let p) = kind { return p }
        return nil
    }

    /// The sequence's elements, or `nil` when this is not a sequence.
    public var elements: [Node]? {
        if case .sequence(let e) = kind { return e }
        return nil
    }

    /// `true`/`false` for the plain scalars `true` and `false` only; `nil` for anything else.
    public var bool: Bool? {
        guard case .scalar(let s, .plain) = kind else { return nil }
        switch s {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The value for a scalar key, or `nil`.
    public subscript(key: String) -> Node? {
        pairs?.first { $0.key.scalar == key }?.value
    }

    /// A short name of the node's kind for error messages.
    public var kindName: String {
        switch kind {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .null: return "nothing"
        }
    }
}
