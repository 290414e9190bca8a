import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1

extension HTTPField.Name {
    /// `X-Request-Id`: one id per call, for tracing it from the client through the access log.
    static let requestID = Self("X-Request-Id")!
}

/// Gives every request one id and puts it on the response's `X-Request-Id` and in the
/// request logger's `hb.request.id`, which every log line of the request (the access line
/// too) carries. The client's `X-Request-Id` is kept when it is valid (``isValid(_:)``);
/// otherwise the id Hummingbird generated for the request is used. Registered first, so it
/// wraps every other middleware and even an error response carries the id.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The longest client id kept.
    static var maxLength: Int { 128 }

    /// A client id is kept when it has 1 to 128 characters, each an ASCII letter, digit or
    /// one of `-._~:/+=@`: enough for UUIDs, ULIDs and work-order numbers, and nothing that
    /// could break a log line or a header.
    static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        guard (1...maxLength).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "-._~:/+=@".utf8.contains(b)
            }
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id: String
        if let given = request.headers[.requestID], Self.isValid(given) {
            id = given
            context.logger[metadataKey: "hb.request.id"] = .string(given)
        } else if let generated = context.logger[metadataKey: "hb.request.id"] {
            id = generated.description
        } else {
            // A logger whose handler keeps no metadata: make one, as Hummingbird does.
            id = RequestID().description
            context.logger[metadataKey: "hb.request.id"] = .string(id)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPParserError {
            // Left to Hummingbird on purpose (see AccessMiddleware): a 400 with a JSON body, then the connection closes.
            throw error
        } catch where AccessMiddleware<Context>.clientWentAway(error) {
            throw error  // nobody is left to answer
        } catch {
            // The access middleware answers every other error itself; this only guards the header.
            response = APIError.response(for: error)
        }
        response.headers[.requestID] = id
        return response
    }
}
