/// The caller's id of a message, echoed exactly as it was written: a string stays a
/// string, a JSON number keeps its digits.
public enum MessageID: Sendable, Hashable, CustomStringConvertible {
    /// No id was given.
    case none
    /// A string id.
    case string(String)
    /// A numeric id, as its JSON lexeme (`9007199254740993` stays exactly that).
    case number(String)

    /// The id as JSON.
    public var json: JSONValue {
        switch self {
        case .none: return .null
        case .string(let s): return .string(s)
        case .number(let lexeme): return .numberLexeme(lexeme)
        }
    }

    /// The id as text (empty for none).
    public var description: String {
        switch self {
        case .none: return ""
        case .string(let s), .number(let s): return s
        }
    }
}

/// One message to classify, with the fields the engine reads: the caller's id, the
/// text, when it was received and, when known, when it was dispatched.
public struct MessageRecord: Sendable, Hashable {
    /// The caller's id, echoed.
    public var id: MessageID
    /// The message text.
    public var text: String
    /// When the message was received; `nil` means now.
    public var receivedAt: Timestamp?
    /// When it was dispatched to the handling unit; the reply is counted from this
    /// date when given, otherwise from the pre-review deadline.
    public var dispatchedAt: Timestamp?

    /// Creates a record.
    public init(text: String, id: MessageID = .none, receivedAt: Timestamp? = nil, dispatchedAt: Timestamp? = nil) {
        self.id = id
        self.text = text
        self.receivedAt = receivedAt
        self.dispatchedAt = dispatchedAt
    }
}

/// Why an input could not be classified. Carries the id when it could be read.
public struct InputError: Error, Sendable, Hashable {
    /// The kinds of input error; the raw values are the codes of the output contract.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The bytes are not UTF-8.
        case invalidUTF8 = "invalid_utf8"
        /// The text is not JSON.
        case invalidJSON = "invalid_json"
        /// The JSON value is not an object.
        case notAnObject = "not_an_object"
        /// A required field is missing.
        case missingField = "missing_field"
        /// A field has the wrong JSON type.
        case wrongType = "wrong_type"
        /// A field has the right type but an invalid value (an unreadable time, a dispatch before receipt).
        case invalidField = "invalid_field"
        /// The text has more characters than the limit, or the record more bytes (docs/limits.md).
        case tooLong = "too_long"

        /// What the code means, in one English line (the docs' table is generated from it).
        package var summary: String {
            switch self {
            case .invalidUTF8: return "the input is not valid UTF-8 (the message says at which byte; the id is recovered when possible)"
            case .invalidJSON: return "the input is not JSON"
            case .notAnObject: return "the JSON is not an object"
            case .missingField: return "a required field is missing (`text`)"
            case .wrongType:
                return "a field has the wrong JSON type: `text` not a string, `id` not a string or number, a time not a string"
            case .invalidField:
                return "a field has the right type but a bad value: a time that is not ISO 8601, `dispatched_at` before `received_at`"
            case .tooLong:
                return "the text has more characters than the limit, or the record more bytes (docs/limits.md)"
            }
        }
    }

    /// What kind of error.
    public var code: Code
    /// Human message naming what is wrong.
    public var message: String
    /// The offending field, when there is one.
    public var field: String?
    /// The id, when it could be read.
    public var id: MessageID

    /// Creates an input error.
    public init(_ code: Code, _ message: String, field: String? = nil, id: MessageID = .none) {
        self.code = code
        self.message = message
        self.field = field
        self.id = id
    }
}

extension MessageRecord {
    /// The default bound on a message's text, in characters (Unicode scalars): far above any
    /// real message, low enough that one record cannot tie up a worker (docs/limits.md).
    public static let defaultMaxTextLength = 100_000

    /// Parses one JSON Lines record (or one HTTP request body) from raw bytes. A text longer
    /// than `maxTextLength` characters is a `too_long` error.
    public static func parse(bytes: [UInt8], maxTextLength: Int = defaultMaxTextLength) -> Result<MessageRecord, InputError> {
        if let offset = firstInvalidUTF8(bytes) {
            // Try to recover the id so the caller can tell which message was bad.
            let lossy = Array(String(decoding: bytes, as: UTF8.self).utf8)
            let id = (try? JSONValue.parse(lossy)).flatMap { messageID($0["id"]) } ?? MessageID.none
            return .failure(InputError(.invalidUTF8, "input is not valid UTF-8 (first bad byte at offset \(offset))", id: id))
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            return .failure(InputError(.invalidJSON, "invalid JSON: \(error.description)"))
        }
        return parse(value, maxTextLength: maxTextLength)
    }

    /// Validates a parsed JSON value as a message: an object with the ``fields`` (other keys,
    /// such as a corpus's `expected`, are left to the caller). A text longer than `maxTextLength`
    /// characters is a `too_long` error.
    public static func parse(_ value: JSONValue, maxTextLength: Int = defaultMaxTextLength) -> Result<MessageRecord, InputError> {
        guard case .object = value else {
            return .failure(InputError(.notAnObject, "expected a JSON object with a \"text\" field, got \(value.typeName)"))
        }
        var record = MessageRecord(text: "")
        do throws(InputError) {
            for field in fields { try field.read(value[field.name], &record) }
            if let error = lengthError(record.text, max: maxTextLength, id: record.id) { throw error }
            try record.validate()
        } catch {
            return .failure(error)
        }
        return .success(record)
    }

    /// Every field of an input record, in the order they are read (the id first, so that
    /// later errors carry it). A new optional field is one line here plus its property, e.g.
    /// `.enumeration("channel", "where the message came from") { (r, c: Intake) in r.channel = c }`;
    /// the docs' input table and the OpenAPI `Message` schema are checked against this list.
    package static let fields: [Field] = [
        Field("id", required: false, "a string or a number, echoed exactly as written (a number keeps its digits); `null` when absent") {
            value, record throws(InputError) in
            guard let id = messageID(value) else {
                throw InputError(.wrongType, "\"id\" must be a string or a number, not \(value?.typeName ?? "absent")", field: "id")
            }
            record.id = id
        },
        Field("text", required: true, "the message") { value, record throws(InputError) in
            guard let value else { throw InputError(.missingField, "missing field \"text\"", field: "text", id: record.id) }
            guard let text = value.string else {
                throw InputError(.wrongType, "\"text\" must be a string, not \(value.typeName)", field: "text", id: record.id)
            }
            record.text = text
        },
        .timestamp("received_at", "when the message was received; absent or `null`: now") { $0.receivedAt = $1 },
        .timestamp("dispatched_at", "when it was dispatched to the handling unit; the reply deadline then counts from this day") {
            $0.dispatchedAt = $1
        },
    ]

    /// One field of an input record: its JSON name, what it means, and how it is read.
    package struct Field: Sendable {
        /// The JSON key.
        package let name: String
        /// True when a record must have it.
        package let required: Bool
        /// What it means, in one English line (the docs' input table is generated from it).
        package let summary: String
        /// Reads the field's value (`nil` when absent) into the record.
        package let read: @Sendable (JSONValue?, inout MessageRecord) throws(InputError) -> Void

        /// Creates a field.
        package init(
            _ name: String, required: Bool, _ summary: String,
            read: @escaping @Sendable (JSONValue?, inout MessageRecord) throws(InputError) -> Void
        ) {
            self.name = name
            self.required = required
            self.summary = summary
            self.read = read
        }

        /// An optional ISO 8601 time (no offset means +08:00): not a string is `wrong_type`, a
        /// string that is not a time is `invalid_field`, both naming the field.
        package static func timestamp(
            _ name: String, _ summary: String, set: @escaping @Sendable (inout MessageRecord, Timestamp) -> Void
        ) -> Field {
            Field(name, required: false, summary + " (ISO 8601; no offset means +08:00)") { value, record throws(InputError) in
                switch value {
                case nil, .null?:
                    return
                case .string(let s)?:
                    guard let t = Timestamp.parse(s) else {
                        throw InputError(.invalidField, "\"\(name)\" is not an ISO 8601 time such as 2026-09-30T10:00:00+08:00: '\(s)'",
                                         field: name, id: record.id)
                    }
                    set(&record, t)
                case let other?:
                    throw InputError(.wrongType, "\"\(name)\" must be a string (ISO 8601), not \(other.typeName)", field: name, id: record.id)
                }
            }
        }

        /// An optional string that must be one of `Value`'s raw values: not a string is
        /// `wrong_type`, another string is `invalid_field` listing the allowed values.
        package static func enumeration<Value: RawRepresentable & CaseIterable & Sendable>(
            _ name: String, _ summary: String, set: @escaping @Sendable (inout MessageRecord, Value) -> Void
        ) -> Field where Value.RawValue == String {
            let allowed = Value.allCases.map(\.rawValue)
            return Field(name, required: false, summary + " (" + allowed.map { "`\($0)`" }.joined(separator: ", ") + ")") {
                value, record throws(InputError) in
                switch value {
                case nil, .null?:
                    return
                case .string(let s)?:
                    guard let v = Value(rawValue: s) else {
                        throw InputError(.invalidField, "\"\(name)\" must be one of \(allowed.joined(separator: ", ")), not '\(s)'",
                                         field: name, id: record.id)
                    }
                    set(&record, v)
                case let other?:
                    throw InputError(.wrongType, "\"\(name)\" must be a string, not \(other.typeName)", field: name, id: record.id)
                }
            }
        }
    }

    /// The rules between fields: a record dispatched before it was received is `invalid_field`
    /// naming `dispatched_at`. ``parse(_:)`` calls it; so does the CLI for `--received-at` and `--dispatched-at`.
    package func validate() throws(InputError) {
        if let received = receivedAt, let dispatched = dispatchedAt, dispatched.epochSeconds < received.epochSeconds {
            throw InputError(.invalidField, "\"dispatched_at\" (\(dispatched)) is before \"received_at\" (\(received))",
                             field: "dispatched_at", id: id)
        }
    }

    /// A `too_long` error when `text` has more than `max` characters.
    package static func lengthError(_ text: String, max: Int, id: MessageID = .none) -> InputError? {
        // A scalar takes at least one byte: a text with no more bytes than the bound is within
        // it, and most texts are decided here without a pass over them.
        if text.utf8.count <= max { return nil }
        // Counting stops at the bound, so an enormous text costs no more than a long one.
        var n = 0
        for _ in text.unicodeScalars {
            n += 1
            if n > max {
                return InputError(.tooLong, "\"text\" has more than \(max) characters, the most a message may have", field: "text", id: id)
            }
        }
        return nil
    }

    /// The id of a JSON value, or `nil` when it cannot be an id (an object, an array, a boolean).
    static func messageID(_ value: JSONValue?) -> MessageID? {
        switch value {
        case nil, .null?: return MessageID.none
        case .string(let s)?: return .string(s)
        case .number(let n)?: return .number(JSONValue.format(n))
        case .numberLexeme(let lexeme)?: return .number(lexeme)
        default: return nil
        }
    }

    /// Offset of the first byte that breaks UTF-8, or `nil` when the bytes are valid.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0) }
    }
}
