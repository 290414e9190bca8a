import Hummingbird
import TriageKit

/// A JSON response whose body `write` appends as bytes (TriageKit's JSON writer), with a
/// trailing newline (the CLI's line format): no `JSONValue` tree, no `String`.
func jsonResponse(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], _ write: (inout [UInt8]) -> Void) -> Response {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(4096)
    write(&bytes)
    bytes.append(0x0A)
    var headers = headers
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}
