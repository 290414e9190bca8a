/// The shape of the rule files, declared once. The loader checks keys against it, the
/// readers take their fields from it, `triage schema` turns it into a JSON Schema for
/// editors, and `triage doc` describes it. Nothing else lists the keys of a section.
///
/// Adding a section is declarative: a `SectionSchema` (its fields), a reader for one entry,
/// and one line in ``RawRuleSet/sections`` (engine sections) or ``RuleFileSchema/qaSections``
/// (sections only the QA tools read).
package indirect enum ValueType: Sendable {
    /// Any scalar, read as text.
    case string
    /// A plain number.
    case number
    /// A plain whole number.
    case integer
    /// `true` or `false`.
    case boolean
    /// A date, `YYYY-MM-DD`.
    case date
    /// A date or a range of dates, `YYYY-MM-DD..YYYY-MM-DD`.
    case dateOrRange
    /// A PCRE2 pattern; may reference fragments as `{name}`.
    case pattern
    /// One of a fixed set of words.
    case choice([String])
    /// A list; where the elements are scalars, one scalar counts as a one-element list.
    case list(ValueType)
    /// A mapping with known keys.
    case object([Field])
    /// A mapping from free names to values of one type.
    case dictionary(ValueType)

    /// True for the scalar types.
    package var isScalar: Bool {
        switch self {
        case .string, .number, .integer, .boolean, .date, .dateOrRange, .pattern, .choice: return true
        case .list, .object, .dictionary: return false
        }
    }
}

/// One key of a mapping.
package struct Field: Sendable {
    /// The key as written.
    package var key: String
    /// Its value's type.
    package var type: ValueType
    /// True when the mapping must have it.
    package var required: Bool
    /// What it means, for the JSON Schema (editor hover) and the reference page.
    package var summary: String

    /// Creates a field.
    package init(_ key: String, _ type: ValueType, required: Bool = false, _ summary: String) {
        self.key = key
        self.type = type
        self.required = required
        self.summary = summary
    }

    /// A choice over every case of a string enum, so the schema and the reader accept the same words.
    package static func choice<E: CaseIterable & RawRepresentable>(
        _ key: String, _ type: E.Type, required: Bool = false, _ summary: String
    ) -> Field where E.RawValue == String {
        Field(key, .choice(E.allCases.map(\.rawValue)), required: required, summary)
    }
}

/// A top-level section of a rule file.
package struct SectionSchema: Sendable {
    /// A list of entries (each a mapping with an `id`) or a single mapping.
    package enum Shape: Sendable {
        /// `section: [ {id: …, …}, … ]`.
        case list
        /// `section: {…}`.
        case mapping
    }
    /// Who reads it.
    package enum Consumer: Sendable {
        /// The engine (TriageKit's loader).
        case engine
        /// Only the QA tools (TriageEval); the engine accepts and ignores it.
        case qa
    }

    /// The key in the file.
    package var name: String
    /// What it holds.
    package var summary: String
    /// List of entries or one mapping.
    package var shape: Shape
    /// The keys of an entry (or of the mapping).
    package var fields: [Field]
    /// Who reads it.
    package var consumer: Consumer
    /// What one entry is called in messages ("a rule", "an item").
    package var entryName: String

    /// Creates a section.
    package init(_ name: String, _ shape: Shape, entryName: String, consumer: Consumer = .engine, _ summary: String, fields: [Field]) {
        self.name = name
        self.shape = shape
        self.entryName = entryName
        self.consumer = consumer
        self.summary = summary
        self.fields = fields
    }
}

/// Every section a rule file may hold.
package enum RuleFileSchema {
    /// Sections only the QA tools read; the loader accepts them.
    package static let qaSections: [SectionSchema] = [.knownFalsePositives, .todo]

    /// Every section, engine sections first, in the order the loader reads them.
    package static var sections: [SectionSchema] { RawRuleSet.sections.map(\.schema) + qaSections }

    /// The section called `name`.
    package static func section(_ name: String) -> SectionSchema? { sections.first { $0.name == name } }
}

// MARK: Shared field groups

extension Field {
    /// `examples: {match, no_match}`; a match may mark the expected span with ⟦…⟧.
    package static let examples = Field("examples", .object([
        Field("match", .list(.string), "Texts that must match; mark the expected match with ⟦…⟧ to check where it is. 必须命中的例句，可用 ⟦…⟧ 标出命中位置"),
        Field("no_match", .list(.string), "Texts that must not match. 不得命中的例句"),
    ]), "Self-tests checked when the rule set loads, through the real matcher. 例句：加载时用真实匹配器检查")

    /// Optional provenance, as Sigma rules carry it.
    package static let metadata: [Field] = [
        .choice("status", RuleStatus.self, "experimental (default) or stable; a stable entry must have examples.match. 状态"),
        Field("owner", .string, "Who maintains it (a unit or a person's role). 维护人"),
        Field("added", .date, "When it was added, YYYY-MM-DD. 添加日期"),
        Field("references", .list(.string), "Policy documents (权责清单, 三定方案), tickets or links it rests on. 依据"),
    ]

    /// The keys every pattern rule has.
    package static let ruleCore: [Field] = [
        Field("id", .string, required: true, "Stable id in lower_snake_case. 编号"),
        Field("description", .string, "What it means, in Chinese; shown in reasons. 说明"),
        Field("patterns", .list(.pattern), required: true, "PCRE2 patterns; any one matching fires it. 模式"),
        Field("exclude", .list(.pattern), "Patterns that veto it for a message. 排除模式"),
        examples,
    ] + metadata
}

/// Sigma-style maturity of a rule or item.
package enum RuleStatus: String, Sendable, CaseIterable {
    /// New or still being tuned.
    case experimental
    /// Settled; must carry examples.
    case stable
}
