import Foundation

/// Where a message came in: the online 意见征询 column or the 找茬 window.
public enum IntakeChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// The online column.
    case online
    /// The 找茬 window at the district administrative service centre.
    case window
}

/// A screening verdict as the corpus writes it: `accept`, `needs_review` or `reject:<reason>`.
public enum ScreeningLabel: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Accept and dispatch.
    case accept
    /// A person must look (the engine's verdict; staff may keep it when they dispatch).
    case needsReview
    /// Rejected, with one of ``ScreeningLabel/rejectReasons``.
    case reject(String)

    /// The reject reasons the rule set knows.
    public static let rejectReasons = ["spam", "abuse", "gibberish", "off_topic"]

    /// Parses `accept`, `needs_review` or `reject:<reason>`; `nil` for anything else.
    public init?(_ label: String) {
        switch label {
        case "accept": self = .accept
        case "needs_review": self = .needsReview
        default:
            guard label.hasPrefix("reject:") else { return nil }
            let reason = String(label.dropFirst("reject:".count))
            guard Self.rejectReasons.contains(reason) else { return nil }
            self = .reject(reason)
        }
    }

    /// The corpus label.
    public var description: String {
        switch self {
        case .accept: return "accept"
        case .needsReview: return "needs_review"
        case .reject(let reason): return "reject:\(reason)"
        }
    }

    /// True for `reject:*`.
    public var isReject: Bool { if case .reject = self { return true } else { return false } }

    /// The reject reason, or `nil`.
    public var rejectReason: String? { if case .reject(let r) = self { return r } else { return nil } }

    /// Decodes the corpus label.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let label = ScreeningLabel(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown screening label '\(raw)'"))
        }
        self = label
    }

    /// Encodes the corpus label.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Everything a pre-review decision fixes about a message: the labels of the corpus format.
/// The engine's proposal has one set; the staff decision has another (equal when accepted).
public struct CaseLabels: Sendable, Hashable, Codable {
    /// Category id, or `nil` (rejected or undecided).
    public var category: String?
    /// Lead department id, or `nil` (rejected).
    public var lead: String?
    /// Co-handler department ids, in the order given.
    public var coHandlers: [String]
    /// The screening verdict.
    public var screening: ScreeningLabel
    /// 模糊不清.
    public var vague: Bool
    /// Several departments.
    public var multiDepartment: Bool
    /// 专报.
    public var leaderReport: Bool
    /// The coordinator must step in.
    public var coordination: Bool
    /// A 啄木鸟 candidate.
    public var woodpeckerCandidate: Bool

    /// Creates labels; every flag defaults to false.
    public init(category: String?, lead: String?, coHandlers: [String] = [], screening: ScreeningLabel = .accept,
                vague: Bool = false, multiDepartment: Bool = false,
                leaderReport: Bool = false, coordination: Bool = false, woodpeckerCandidate: Bool = false) {
        self.category = category
        self.lead = lead
        self.coHandlers = coHandlers
        self.screening = screening
        self.vague = vague
        self.multiDepartment = multiDepartment
        self.leaderReport = leaderReport
        self.coordination = coordination
        self.woodpeckerCandidate = woodpeckerCandidate
    }

    enum CodingKeys: String, CodingKey {
        case category, lead, coHandlers = "co_handlers", screening, vague, multiDepartment = "multi_department"
        case leaderReport = "leader_report", coordination, woodpeckerCandidate = "woodpecker_candidate"
    }

    /// Encodes every key, `null` included, so that history entries are complete.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(category, forKey: .category)
        try c.encode(lead, forKey: .lead)
        try c.encode(coHandlers, forKey: .coHandlers)
        try c.encode(screening, forKey: .screening)
        try c.encode(vague, forKey: .vague)
        try c.encode(multiDepartment, forKey: .multiDepartment)
        try c.encode(leaderReport, forKey: .leaderReport)
        try c.encode(coordination, forKey: .coordination)
        try c.encode(woodpeckerCandidate, forKey: .woodpeckerCandidate)
    }

    /// The fields that differ from `other`, by their corpus names (`category`, `lead`, `co_handlers`,
    /// `screening`, `vague`, `multi_department`, `leader_report`, `coordination`, `woodpecker_candidate`).
    public func changedFields(from other: CaseLabels) -> [String] {
        var out: [String] = []
        if category != other.category { out.append("category") }
        if lead != other.lead { out.append("lead") }
        if Set(coHandlers) != Set(other.coHandlers) { out.append("co_handlers") }
        if screening != other.screening { out.append("screening") }
        if vague != other.vague { out.append("vague") }
        if multiDepartment != other.multiDepartment { out.append("multi_department") }
        if leaderReport != other.leaderReport { out.append("leader_report") }
        if coordination != other.coordination { out.append("coordination") }
        if woodpeckerCandidate != other.woodpeckerCandidate { out.append("woodpecker_candidate") }
        return out
    }
}

/// A flag a worklist can filter on.
public enum CaseFlag: String, Sendable, Hashable, CaseIterable, Codable {
    /// 模糊不清.
    case vague
    /// Several departments.
    case multiDepartment = "multi_department"
    /// 专报.
    case leaderReport = "leader_report"
    /// Coordination.
    case coordination
    /// 啄木鸟 candidate.
    case woodpeckerCandidate = "woodpecker_candidate"
    /// Screening verdict `needs_review`.
    case needsReview = "needs_review"
    /// Screening verdict `reject:*`.
    case rejected
    /// Staff corrected the proposal.
    case corrected
}
