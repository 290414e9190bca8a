import Hummingbird
import NIOConcurrencyHelpers
import TriageCases

/// Who makes a request to the desk: a signed-in user (with their session) or another system's token.
enum Principal: Sendable {
    /// A user signed in through `/v1/session`.
    case user(Session)
    /// An API token (`Authorization: Bearer trk_…`).
    case token(APIToken)

    /// How the access log names it: `user:NAME` or `token:NAME`.
    var logName: String {
        switch self {
        case .user(let s): return "user:\(s.user.username)"
        case .token(let t): return "token:\(t.name)"
        }
    }

    /// How a case's history names it.
    var actor: CaseActor {
        switch self {
        case .user(let s): return s.user.actor
        case .token(let t): return CaseActor(system: "token:\(t.name)")
        }
    }
}

/// Carries the principal out to the access log, which runs outside the route's middleware:
/// the access middleware opens a slot for each request, the desk's authentication fills it.
final class PrincipalSlot: Sendable {
    /// The slot of the request being handled, if the access middleware opened one.
    @TaskLocal static var current: PrincipalSlot?

    private let box = NIOLockedValueBox<String?>(nil)

    /// `user:NAME` or `token:NAME`, once authenticated.
    var name: String? {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }
}

/// The request context of the desk's routes: the basic one plus who is asking.
struct DeskRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``DeskAuthMiddleware`` before the handler runs.
    var principal: Principal?

    init(context: BasicRequestContext) {
        self.coreContext = context.coreContext
        self.principal = nil
    }

    /// The principal, which the middleware guarantees on every desk route.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw DeskError.unauthenticated }
        return principal
    }
}
