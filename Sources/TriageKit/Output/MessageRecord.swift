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

    /// Validates a parsed JSON value as a message: `{"id", "text", "received_at", "dispatched_at"}`.
    /// A text longer than `maxTextLength` characters is a `too_long` error; a dispatch before
    /// receipt is an `invalid_field` error (it would put the reply deadline before the message arrived).
    public static func parse(_ value: JSONValue, maxTextLength: Int = defaultMaxTextLength) -> Result<MessageRecord, InputError> {
        guard case .object = value else {
            return .failure(InputError(.notAnObject, "expected a JSON object with a \"text\" field, got \(value.typeName)"))
        }
        let rawID = value["id"] ?? .null
        guard let id = messageID(rawID) else {
            return .failure(InputError(.wrongType, "\"id\" must be a string or a number, not \(rawID.typeName)", field: "id"))
        }
        guard let textValue = value["text"] else {
            return .failure(InputError(.missingField, "missing field \"text\"", field: "text", id: id))
        }
        guard let text = textValue.string else {
            return .failure(InputError(.wrongType, "\"text\" must be a string, not \(textValue.typeName)", field: "text", id: id))
        }
        if let error = lengthError(text, max: maxTextLength, id: id) { return .failure(error) }
        var record = MessageRecord(text: text, id: id)
        do throws(InputError) {
            record.receivedAt = try timestamp(value, "received_at", id: id)
            record.dispatchedAt = try timestamp(value, "dispatched_at", id: id)
        } catch {
            return .failure(error)
        }
        if let error = orderError(receivedAt: record.receivedAt, dispatchedAt: record.dispatchedAt, id: id) { return .failure(error) }
        return .success(record)
    }

    /// A `too_long` error when `text` has more than `max` characters.
    public static func lengthError(_ text: String, max: Int, id: MessageID = .none) -> InputError? {
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

    /// An `invalid_field` error when the message was dispatched before it was received.
    public static func orderError(receivedAt: Timestamp?, dispatchedAt: Timestamp?, id: MessageID = .none) -> InputError? {
        guard let r = receivedAt, let d = dispatchedAt, d.epochSeconds < r.epochSeconds else { return nil }
        return InputError(.invalidField, "\"dispatched_at\" (\(d)) is before \"received_at\" (\(r)); a message is dispatched after it arrives",
                          field: "dispatched_at", id: id)
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

    /// An optional ISO 8601 field; a value that is not a time is an `invalid_field` error naming the field.
    static func timestamp(_ value: JSONValue, _ field: String, id: MessageID) throws(InputError) -> Timestamp? {
        guard let v = value[field] else { return nil }
        switch v {
        case .null:
            return nil
        case .string(let s):
            guard let t = Timestamp.parse(s) else {
                throw InputError(.invalidField, "\"\(field)\" is not an ISO 8601 time such as 2026-09-30T10:00:00+08:00: '\(s)'",
                                 field: field, id: id)
            }
            return t
        default:
            throw InputError(.wrongType, "\"\(field)\" must be a string (ISO 8601), not \(v.typeName)", field: field, id: id)
        }
    }

    /// Offset of the first byte that breaks UTF-8, or `nil` when the bytes are valid.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n: Int
            if b < 0x80 {
                n = 1
            } else if b >= 0xC2 && b < 0xE0 {
                n = 2
            } else if b >= 0xE0 && b < 0xF0 {
                n = 3
            } else if b >= 0xF0 && b < 0xF5 {
                n = 4
            } else {
                return i
            }
            if i + n > bytes.count { return i }
            if n > 1, String(validating: bytes[i..<i + n], as: UTF8.self) == nil { return i }
            i += n
        }
        return nil
    }
}
