import HTTPTypes
public import HummingbirdCore
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOHTTP1
public import NIOHTTPTypes
import NIOHTTPTypesHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The open connections of the server: counted against the limits, and kept so that the
/// drain deadline can close what is still open.
///
/// A new connection is served normally while fewer than `limit` are open and its client (its
/// address) holds fewer than `perClient`; over `limit` it is an overflow connection (health
/// checks only) while fewer than `reserve` of those are open; otherwise it is closed at once.
/// Closing at once, rather than no longer accepting, keeps the accept queue moving, so that
/// one client holding thousands of connections cannot keep another's health check waiting.
final class ConnectionRegistry: Sendable {
    enum Admission: Equatable {
        case serve, overflow, refuse
    }
    private struct Entry {
        var channel: any Channel
        var client: String
        var overflow: Bool
    }
    private struct State {
        var open: [ObjectIdentifier: Entry] = [:]
        var perClient: [String: Int] = [:]
        var served = 0
        var overflow = 0
        var peakServed = 0
        var refused = 0
    }
    private let state = NIOLockedValueBox(State())
    /// Connections served normally.
    let limit: Int
    /// Connections over `limit` accepted to answer health checks.
    let reserve: Int
    /// Connections one client address may hold.
    let perClient: Int

    init(limit: Int, reserve: Int, perClient: Int) {
        self.limit = limit
        self.reserve = reserve
        self.perClient = perClient
    }

    /// Records a new connection and says how to treat it.
    func opened(_ channel: any Channel) -> Admission {
        let client = channel.remoteAddress?.ipAddress ?? "?"
        return state.withLockedValue { s in
            let mine = s.perClient[client, default: 0]
            let admission: Admission
            if mine >= perClient {
                admission = .refuse
            } else if s.served < limit {
                admission = .serve
            } else if s.overflow < reserve {
                admission = .overflow
            } else {
                admission = .refuse
            }
            guard admission != .refuse else {
                s.refused += 1
                return .refuse
            }
            s.open[ObjectIdentifier(channel)] = Entry(channel: channel, client: client, overflow: admission == .overflow)
            s.perClient[client] = mine + 1
            if admission == .overflow { s.overflow += 1 } else { s.served += 1 }
            s.peakServed = max(s.peakServed, s.served)
            return admission
        }
    }

    func closed(_ channel: any Channel) {
        state.withLockedValue { s in
            guard let e = s.open.removeValue(forKey: ObjectIdentifier(channel)) else { return }
            if e.overflow { s.overflow -= 1 } else { s.served -= 1 }
            let left = s.perClient[e.client, default: 1] - 1
            s.perClient[e.client] = left > 0 ? left : nil
        }
    }

    /// Connections open now (served and overflow).
    var count: Int { state.withLockedValue { $0.open.count } }
    /// Most connections served at once so far.
    var peak: Int { state.withLockedValue { $0.peakServed } }
    /// Connections closed at once because a limit was reached.
    var refused: Int { state.withLockedValue { $0.refused } }

    /// Aborts every open connection (a reset, not a clean end, so that no client takes a cut
    /// response for a whole one). Returns how many there were.
    @discardableResult
    func abortAll() -> Int {
        let channels = state.withLockedValue { $0.open.values.map(\.channel) }
        for channel in channels { channel.pipeline.fireUserInboundEventTriggered(AbortConnection()) }
        return channels.count
    }
}

/// Sent down a connection's pipeline to abort it at once.
struct AbortConnection {}

/// Limits of one connection.
struct ConnectionLimits: Sendable {
    /// Close a connection with no request in progress after this long, a request whose
    /// upload stalls this long, and a response the client stops reading for this long.
    var idleTimeout: Duration
    /// How long an overflow connection may take to send its one request.
    var overflowTimeout: Duration = .seconds(1)
    /// Header limits.
    var maxHeaderBytes = 64 * 1024
}

/// The server's HTTP/1.1 child channel: Hummingbird's `HTTP1Channel` pipeline with the
/// connection limit, idle and stall timeouts, HTTP/1.0 and `Host` checks, JSON bodies for
/// protocol errors, and closes that wait for the response to be written.
struct TriageHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let registry: ConnectionRegistry
    let metrics: ServerMetrics

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let registry = self.registry
        let metrics = self.metrics
        return channel.eventLoop.makeCompletedFuture {
            let admission = registry.opened(channel)
            metrics.connectionOpened(admission)
            if admission == .refuse {
                channel.close(promise: nil)
            } else {
                channel.closeFuture.whenComplete { _ in
                    registry.closed(channel)
                    metrics.connectionClosed()
                }
            }
            let overflow = admission == .overflow
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
            decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
            let sync = channel.pipeline.syncOperations
            try sync.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoderLimits)
            try sync.addHandler(HTTP1Guard(overflow: overflow, limit: registry.limit))
            try sync.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try sync.addHandler(WriteThenCloseHandler(stallTimeout: overflow ? limits.overflowTimeout : limits.idleTimeout))
            try sync.addHandler(HTTPConnectionStateHandler(idleTimeout: overflow ? limits.overflowTimeout : limits.idleTimeout, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}

/// Checks each request head before Hummingbird sees it, in HTTP/1 terms (where the version is
/// still known):
/// - HTTP/1.0: the connection closes after the response (no keep-alive for 1.0 clients);
/// - HTTP/1.1 without `Host`: refused with 400 `missing_host` (RFC 9112 §3.2);
/// - an overflow connection (over the connection limit): `/healthz` and `/readyz` are answered,
///   anything else gets 503 `too_many_connections`; either way the connection then closes.
///
/// It also gives the 400 that Hummingbird writes for a request it cannot parse (malformed
/// chunked framing, oversized headers) the documented JSON error body instead of an empty one.
final class HTTP1Guard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    enum Refusal {
        case malformed(String)
        case missingHost
    }

    private let overflow: Bool
    private let limit: Int
    private var refusal: Refusal?
    /// After a refused head, the rest of the input is dropped.
    private var dropping = false
    private var sawHead = false
    /// The JSON body to write before `.end` of a rewritten error response.
    private var pendingBody: ByteBuffer?

    init(overflow: Bool, limit: Int) {
        self.overflow = overflow
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !dropping else { return }
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if overflow {
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            guard !sawHead, head.method == .GET || head.method == .HEAD, path == "/healthz" || path == "/readyz" else {
                dropping = true
                refuseOverflow(context: context)
                return
            }
            head.headers.replaceOrAdd(name: "connection", value: "close")
        }
        sawHead = true
        if head.version.major == 1 && head.version.minor == 0 {
            head.headers.replaceOrAdd(name: "connection", value: "close")
        } else if head.headers["host"].isEmpty {
            refusal = .missingHost
            dropping = true
            // Hummingbird answers a parse error with 400 and closes; `write` gives that 400 its body.
            context.fireErrorCaught(HTTPParserError.invalidHeaderToken)
            return
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if refusal == nil, let parse = error as? HTTPParserError { refusal = .malformed("\(parse)") }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where refusal != nil && head.status == .badRequest && head.headers["content-length"] == ["0"]:
            let body = errorBody(refusal!)
            head.headers.replaceOrAdd(name: "content-length", value: "\(body.readableBytes)")
            head.headers.replaceOrAdd(name: "content-type", value: "application/json; charset=utf-8")
            pendingBody = body
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where pendingBody != nil:
            context.write(wrapOutboundOut(.body(.byteBuffer(pendingBody!))), promise: nil)
            pendingBody = nil
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    private func errorBody(_ refusal: Refusal) -> ByteBuffer {
        switch refusal {
        case .malformed(let what):
            return Self.json(code: .malformedRequest, message: "the request is not valid HTTP/1.1 (\(what))")
        case .missingHost:
            return Self.json(code: .missingHost, message: "an HTTP/1.1 request must have a Host header")
        }
    }

    private func refuseOverflow(context: ChannelHandlerContext) {
        let body = Self.json(
            code: .tooManyConnections,
            message: "the server holds its limit of \(limit) connections; only /healthz and /readyz are answered now, retry shortly")
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json; charset=utf-8")
        headers.add(name: "content-length", value: "\(body.readableBytes)")
        headers.add(name: "retry-after", value: "1")
        headers.add(name: "connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .serviceUnavailable, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// `{"error": {"code", "message"}}` and a newline, the shape of every API error.
    static func json(code: APIError.Code, message: String) -> ByteBuffer {
        ByteBuffer(string: #"{"error":{"code":"\#(code.rawValue)","message":"\#(message)"}}"# + "\n")
    }
}

/// Makes a close wait until what was written has reached the socket, so that a response is
/// never cut short by the close that follows it (NIO fails pending writes on a full close;
/// this is how large responses were truncated during shutdown). A client that stops reading
/// for `stallTimeout` is aborted, and so is every connection on ``AbortConnection``.
final class WriteThenCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let stallTimeout: TimeAmount
    private var outstanding = 0
    /// When the oldest unfinished write began or the last write finished, whichever is later.
    private var progress = NIODeadline.now()
    private var pendingClose: EventLoopPromise<Void>?
    private var closeRequested = false
    private var stallCheck: Scheduled<Void>?
    private var aborted = false

    init(stallTimeout: Duration) {
        let (s, atto) = stallTimeout.components
        self.stallTimeout = .nanoseconds(s * 1_000_000_000 + atto / 1_000_000_000)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if outstanding == 0 { progress = .now() }
        outstanding += 1
        let done = promise ?? context.eventLoop.makePromise()
        done.futureResult.assumeIsolated().whenComplete { _ in
            self.outstanding -= 1
            self.progress = .now()
            if self.outstanding == 0, self.closeRequested { self.closeNow(context: context) }
        }
        context.write(data, promise: done)
        scheduleStallCheck(context: context)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, outstanding > 0, !aborted else {
            context.close(mode: mode, promise: promise)
            return
        }
        // Close once the pending writes are done (or abort when the client stops reading).
        closeRequested = true
        if let promise {
            if let pendingClose { promise.futureResult.cascade(to: pendingClose) } else { pendingClose = promise }
        }
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is AbortConnection {
            abort(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stallCheck?.cancel()
    }

    private func closeNow(context: ChannelHandlerContext) {
        closeRequested = false
        let promise = pendingClose
        pendingClose = nil
        context.close(mode: .all, promise: promise)
    }

    private func abort(context: ChannelHandlerContext) {
        guard !aborted else { return }
        aborted = true
        // A reset rather than a clean end: the client must not take a cut response for a whole one.
        _ = (context.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
        let promise = pendingClose
        pendingClose = nil
        closeRequested = false
        context.close(mode: .all, promise: promise)
    }

    private func scheduleStallCheck(context: ChannelHandlerContext) {
        guard stallCheck == nil else { return }
        stallCheck = context.eventLoop.assumeIsolated().scheduleTask(in: stallTimeout) {
            self.stallCheck = nil
            guard self.outstanding > 0 else { return }
            if NIODeadline.now() - self.progress >= self.stallTimeout {
                self.abort(context: context)
            } else {
                self.scheduleStallCheck(context: context)
            }
        }
    }
}
