#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// An instant with the UTC offset it was written in.
public struct Timestamp: Sendable, Hashable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int
    /// The offset from UTC it was written with, in seconds.
    public let offsetSeconds: Int

    /// Asia/Shanghai: +08:00 all year, no daylight saving time.
    public static let shanghaiOffset = 8 * 3600

    /// Creates a timestamp.
    public init(epochSeconds: Int, offsetSeconds: Int = Timestamp.shanghaiOffset) {
        self.epochSeconds = epochSeconds
        self.offsetSeconds = offsetSeconds
    }

    /// The current time, in Asia/Shanghai.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(epochSeconds: Int(ts.tv_sec), offsetSeconds: shanghaiOffset)
    }

    /// Parses ISO 8601: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `…:SS`, optional fraction,
    /// then `Z`, `±HH:MM`, `±HHMM` or `±HH`. A space may stand for `T`. Without an
    /// offset the time is read as Asia/Shanghai (+08:00); a bare date means 00:00 there.
    public static func parse(_ text: String) -> Timestamp? {
        let u = Array(text.utf8)
        guard u.count >= 10, let date = LocalDate(String(decoding: u[0..<10], as: UTF8.self)) else { return nil }
        var i = 10
        var seconds = 0
        if i < u.count, u[i] == 0x54 || u[i] == 0x74 || u[i] == 0x20 {  // T, t or space
            i += 1
            guard i + 5 <= u.count, u[i + 2] == 0x3A, let h = LocalDate.digits(u[i..<i + 2]), let m = LocalDate.digits(u[i + 3..<i + 5]),
                  h <= 23, m <= 59 else { return nil }
            seconds = h * 3600 + m * 60
            i += 5
            if i < u.count, u[i] == 0x3A {
                guard i + 3 <= u.count, let s = LocalDate.digits(u[i + 1..<i + 3]), s <= 59 else { return nil }
                seconds += s
                i += 3
                if i < u.count, u[i] == 0x2E || u[i] == 0x2C {
                    i += 1
                    let start = i
                    while i < u.count, (0x30...0x39).contains(u[i]) { i += 1 }
                    guard i > start else { return nil }
                }
            }
        }
        var offset = shanghaiOffset
        if i < u.count {
            if u[i] == 0x5A || u[i] == 0x7A {  // Z
                offset = 0
                i += 1
            } else if u[i] == 0x2B || u[i] == 0x2D {  // + or -
                let sign = u[i] == 0x2D ? -1 : 1
                i += 1
                guard i + 2 <= u.count, let h = LocalDate.digits(u[i..<i + 2]), h <= 14 else { return nil }
                i += 2
                var m = 0
                if i < u.count {
                    if u[i] == 0x3A { i += 1 }
                    guard i + 2 <= u.count, let mm = LocalDate.digits(u[i..<i + 2]), mm <= 59 else { return nil }
                    m = mm
                    i += 2
                }
                offset = sign * (h * 3600 + m * 60)
            } else {
                return nil
            }
        }
        guard i == u.count else { return nil }
        return Timestamp(epochSeconds: date.daysSinceEpoch * 86400 + seconds - offset, offsetSeconds: offset)
    }

    /// The date in Asia/Shanghai, where the counting happens.
    public var shanghaiDate: LocalDate {
        let local = epochSeconds + Timestamp.shanghaiOffset
        return LocalDate(daysSinceEpoch: local >= 0 ? local / 86400 : (local - 86399) / 86400)
    }

    /// ISO 8601 in its own offset, to the second: `2026-09-30T10:00:00+08:00`.
    public var description: String {
        let local = epochSeconds + offsetSeconds
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let rest = local - days * 86400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let zone: String
        if offsetSeconds == 0 {
            zone = "Z"
        } else {
            let a = abs(offsetSeconds)
            zone = (offsetSeconds < 0 ? "-" : "+") + two(a / 3600) + ":" + two(a % 3600 / 60)
        }
        return "\(LocalDate(daysSinceEpoch: days))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))\(zone)"
    }
}

