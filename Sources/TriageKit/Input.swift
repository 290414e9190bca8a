/// One message to classify, as callers send it: `{"id": ..., "text": ..., ...}`.
public struct MessageInput: Sendable {
    /// The caller's id (any JSON scalar), echoed in the result.
    public var id: JSONValue
    /// The message text.
    public var text: String
    /// The whole input object, for fields later stages read (`received_at`, `dispatched_at`).
    public var fields: JSONValue
}

/// Why an input could not be classified. Carries the id when it could be read.
public struct InputError: Error, Sendable {
    /// Stable code: `invalid_utf8`, `invalid_json`, `not_an_object`, `missing_field`, `wrong_type`, `invalid_field`.
    public var code: String
    /// Human message naming what is wrong.
    public var message: String
    /// The offending field, when there is one.
    public var field: String?
    /// The id, when it could be read.
    public var id: JSONValue

    /// Creates an input error.
    public init(code: String, message: String, field: String? = nil, id: JSONValue = .null) {
        self.code = code
        self.message = message
        self.field = field
        self.id = id
    }

    /// The error object written in place of a result.
    public func json(line: Int?) -> JSONValue {
        errorResult(id: id, line: line, code: code, message: message, field: field)
    }
}

extension MessageInput {
    /// Parses one JSON Lines record from raw bytes.
    public static func parse(line bytes: [UInt8]) -> Result<MessageInput, InputError> {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            // Try to recover the id so the caller can tell which message was bad.
            let lossy = Array(String(decoding: bytes, as: UTF8.self).utf8)
            let id = (try? JSONValue.parse(lossy))?["id"] ?? .null
            let offset = firstInvalidUTF8(bytes) ?? 0
            return .failure(InputError(code: "invalid_utf8", message: "input is not valid UTF-8 (first bad byte at offset \(offset))", id: scalarID(id)))
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            return .failure(InputError(code: "invalid_json", message: "invalid JSON: \(error.description)"))
        }
        return parse(value)
    }

    /// Validates a parsed JSON value as a message.
    public static func parse(_ value: JSONValue) -> Result<MessageInput, InputError> {
        guard case .object = value else {
            return .failure(InputError(code: "not_an_object", message: "expected a JSON object with a \"text\" field, got \(value.typeName)"))
        }
        let id = value["id"] ?? .null
        switch id {
        case .null, .string, .number: break
        default:
            return .failure(InputError(code: "wrong_type", message: "\"id\" must be a string or a number, not \(id.typeName)", field: "id"))
        }
        guard let textValue = value["text"] else {
            return .failure(InputError(code: "missing_field", message: "missing field \"text\"", field: "text", id: id))
        }
        guard let text = textValue.string else {
            return .failure(InputError(code: "wrong_type", message: "\"text\" must be a string, not \(textValue.typeName)", field: "text", id: id))
        }
        return .success(MessageInput(id: id, text: text, fields: value))
    }

    static func scalarID(_ id: JSONValue) -> JSONValue {
        switch id {
        case .string, .number: return id
        default: return .null
        }
    }

    /// Offset of the first byte that breaks UTF-8, or `nil` when the bytes are valid.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n: Int
            if b < 0x80 { n = 1 } else if b >= 0xC2 && b < 0xE0 { n = 2 } else if b >= 0xE0 && b < 0xF0 { n = 3 } else if b >= 0xF0 && b < 0xF5 { n = 4 } else { return i }
            if i + n > bytes.count { return i }
            if n > 1, String(validating: bytes[i..<i + n], as: UTF8.self) == nil { return i }
            i += n
        }
        return nil
    }
}
