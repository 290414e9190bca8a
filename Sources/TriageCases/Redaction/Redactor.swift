/// Replaces personal details in a message with placeholders of the same kind, for exports.
///
/// Recognised (full-width digits, letters and signs count as their ASCII forms, and the text keeps
/// its own characters everywhere else):
///
/// | kind | examples | placeholder |
/// | --- | --- | --- |
/// | mobile | `13812345678`, `138-1234-5678`, `+86 138 1234 5678`, `１３８１２３４５６７８` | 〔手机号〕 |
/// | landline | `021-58781234`, `(021)5878 1234`, `0755-1234567`; a bare 7–8 digit number only after 电话/座机/固话/联系/致电/拨打/tel | 〔电话〕 |
/// | ID card | 18 characters, 17 digits and a check digit or X, with a valid birth date and a valid ISO 7064 checksum | 〔证件号码〕 |
/// | bank card | 16–19 digits (groups of 4 may be spaced) starting 3–6 that pass the Luhn check | 〔银行卡号〕 |
/// | e-mail | `zhang.san@example.com`, `１２３４５６@qq.com` | 〔邮箱〕 |
/// | licence plate | `沪A12345`, `沪AD12345` (new energy), `沪A·1234学` | 〔车号〕 (not 车牌号: 车牌 is an item alias and would change the route) |
///
/// Numbers are recognised only as whole digit runs: a digit right before or after disqualifies
/// them, so the 12345 hotline, dates (2026-10-15, 20261015) and work-order numbers stay.
/// Names and addresses are not recognised: an export is still internal data.
public struct Redactor: Sendable {
    /// The kinds of detail.
    public enum Kind: String, Sendable, CaseIterable, Hashable {
        case mobile, landline, idCard = "id_card", bankCard = "bank_card", email, plate

        /// The placeholder that replaces a detail of this kind.
        public var placeholder: String {
            switch self {
            case .mobile: return "〔手机号〕"
            case .landline: return "〔电话〕"
            case .idCard: return "〔证件号码〕"
            case .bankCard: return "〔银行卡号〕"
            case .email: return "〔邮箱〕"
            case .plate: return "〔车号〕"
            }
        }
    }

    /// A detail found: its kind and where (Unicode scalar offsets of the original text).
    public struct Finding: Sendable, Hashable {
        /// The kind.
        public var kind: Kind
        /// Scalar offsets, end exclusive.
        public var range: Range<Int>
    }

    /// Creates a redactor.
    public init() {}

    /// The text with every detail replaced, and how many of each kind.
    public func redact(_ text: String) -> (text: String, counts: [Kind: Int]) {
        let scalars = Array(text.unicodeScalars)
        let found = findings(in: scalars)
        var out = String.UnicodeScalarView()
        var counts: [Kind: Int] = [:]
        var i = 0
        for f in found {
            out.append(contentsOf: scalars[i..<f.range.lowerBound])
            out.append(contentsOf: f.kind.placeholder.unicodeScalars)
            counts[f.kind, default: 0] += 1
            i = f.range.upperBound
        }
        out.append(contentsOf: scalars[i...])
        return (String(out), counts)
    }

    /// The details in `text`, in order, not overlapping.
    public func findings(in text: String) -> [Finding] { findings(in: Array(text.unicodeScalars)) }

    func findings(in original: [Unicode.Scalar]) -> [Finding] {
        let s = original.map(Self.fold)
        var out: [Finding] = []
        var i = 0
        while i < s.count {
            if let f = email(s, i) ?? plate(s, i) ?? number(s, i) ?? cuedLandline(s, i) {
                out.append(f)
                i = f.range.upperBound
            } else {
                i += 1
            }
        }
        return out
    }

    // MARK: Folding

    /// Full-width ASCII (U+FF01–FF5E) and the ideographic space to ASCII; a few dashes and dots to ASCII.
    /// One scalar for one scalar, so offsets stay those of the original.
    static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
        switch c.value {
        case 0xFF01...0xFF5E: return Unicode.Scalar(c.value - 0xFEE0)!
        case 0x3000: return " "
        case 0x2010...0x2015, 0x2212, 0xFE63: return "-"
        case 0x00B7, 0x2022, 0x30FB, 0xFF65: return "·"
        default: return c
        }
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
    static func isAlnum(_ c: Unicode.Scalar) -> Bool { isDigit(c) || isASCIILetter(c) }

    func at(_ s: [Unicode.Scalar], _ i: Int) -> Unicode.Scalar? { i >= 0 && i < s.count ? s[i] : nil }

    // MARK: E-mail

    func email(_ s: [Unicode.Scalar], _ i: Int) -> Finding? {
        // Starts at the first character of a local part; the local part ends at '@'.
        func local(_ c: Unicode.Scalar) -> Bool { Self.isAlnum(c) || "._%+-".unicodeScalars.contains(c) }
        guard local(s[i]), !(at(s, i - 1).map(local) ?? false) else { return nil }
        var j = i
        while j < s.count, local(s[j]) { j += 1 }
        guard j < s.count, s[j] == "@", j > i else { return nil }
        var k = j + 1
        var labels = 0
        var lastLabel: [Unicode.Scalar] = []
        while true {
            let start = k
            while k < s.count, Self.isAlnum(s[k]) || s[k] == "-" { k += 1 }
            guard k > start else { break }
            labels += 1
            lastLabel = Array(s[start..<k])
            guard k + 1 < s.count, s[k] == ".", Self.isAlnum(s[k + 1]) else { break }
            k += 1
        }
        guard labels >= 2, lastLabel.count >= 2, lastLabel.allSatisfy(Self.isASCIILetter) else { return nil }
        return Finding(kind: .email, range: i..<k)
    }

    // MARK: Licence plates

    static let provinces = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼".unicodeScalars)
    static let plateSuffixes = Set("学警挂港澳领试超".unicodeScalars)

    func plate(_ s: [Unicode.Scalar], _ i: Int) -> Finding? {
        guard Self.provinces.contains(s[i]), let letter = at(s, i + 1), Self.isASCIILetter(letter) else { return nil }
        var j = i + 2
        if let sep = at(s, j), sep == "·" || sep == " " || sep == "-" { j += 1 }
        let start = j
        while j < s.count, Self.isAlnum(s[j]), j - start < 7 { j += 1 }
        var tail = Array(s[start..<j])
        var end = j
        if tail.count == 4, let suffix = at(s, j), Self.plateSuffixes.contains(suffix) {
            end = j + 1
        } else {
            guard tail.count == 5 || tail.count == 6 else { return nil }
        }
        if let next = at(s, end), Self.isAlnum(next) { return nil }
        // At least three digits: 沪A12345, 沪AD12345, 沪A8K9Q2 pass; words like 沪ABCDE do not.
        tail = tail.filter(Self.isDigit)
        guard tail.count >= 3 else { return nil }
        return Finding(kind: .plate, range: i..<end)
    }

    // MARK: Numbers: mobile, ID card, bank card, landline with an area code

    /// Reads digits from `i`, allowing single separators (space, '-', '.') between digits.
    /// Returns the digits and, for each, its offset.
    func digitRun(_ s: [Unicode.Scalar], _ i: Int, separators: Set<Unicode.Scalar> = [" ", "-"]) -> [(Unicode.Scalar, Int)] {
        var out: [(Unicode.Scalar, Int)] = []
        var j = i
        while j < s.count {
            if Self.isDigit(s[j]) {
                out.append((s[j], j))
                j += 1
            } else if separators.contains(s[j]), j + 1 < s.count, Self.isDigit(s[j + 1]), !out.isEmpty {
                j += 1
            } else {
                break
            }
        }
        return out
    }

    func number(_ s: [Unicode.Scalar], _ i: Int) -> Finding? {
        var start = i
        var j = i
        // An international prefix: +86, 0086, (+86), followed by a mobile number.
        var prefixed = false
        if s[j] == "(" || s[j] == "+" || s[j] == "0" {
            var k = j
            let paren = s[k] == "("
            if paren { k += 1 }
            if at(s, k) == "+" { k += 1 } else if at(s, k) == "0", at(s, k + 1) == "0" { k += 2 } else { k = -1 }
            if k >= 0, at(s, k) == "8", at(s, k + 1) == "6" {
                k += 2
                if paren { if at(s, k) == ")" { k += 1 } else { k = -1 } }
                if k >= 0 {
                    while let c = at(s, k), c == " " || c == "-" { k += 1 }
                    if let c = at(s, k), c == "1" { prefixed = true; j = k }
                }
            }
        }
        if !prefixed {
            guard Self.isDigit(s[i]) || s[i] == "(" else { return nil }
            if let p = at(s, i - 1), Self.isDigit(p) { return nil }
        }
        if s[j] == "(" { return landlineWithParens(s, j) }
        let full = digitRun(s, j)
        guard let last = full.last else { return nil }
        if let next = at(s, last.1 + 1), Self.isDigit(next) { return nil }
        if prefixed { start = i }
        // The whole run first, then shorter runs ending where a separator is: "13812345678 13912345678"
        // is two numbers, not one of 22 digits.
        var lengths = [full.count]
        for k in stride(from: full.count - 1, to: 0, by: -1) where full[k].1 != full[k - 1].1 + 1 { lengths.append(k) }
        for n in lengths {
            if let f = classify(s, Array(full.prefix(n)), start: start, prefixed: prefixed) { return f }
        }
        return nil
    }

    func classify(_ s: [Unicode.Scalar], _ run: [(Unicode.Scalar, Int)], start: Int, prefixed: Bool) -> Finding? {
        let digits = run.map(\.0)
        let end = run.last!.1 + 1
        // Mobile: 11 digits 1[3-9]…, grouped as written (3-4-4 or none).
        if digits.count == 11, digits[0] == "1", ("3"..."9").contains(digits[1]), groupsOK(run, [3, 4, 4]) {
            return Finding(kind: .mobile, range: start..<end)
        }
        if prefixed { return nil }
        // ID card: 17 digits and a check character, possibly X.
        if digits.count == 17, let x = at(s, end), x == "X" || x == "x", !(at(s, end + 1).map(Self.isAlnum) ?? false),
           groupsOK(run, [17]) || groupsOK(run, [6, 8, 3]), Self.validID(digits + ["X"]) {
            return Finding(kind: .idCard, range: start..<end + 1)
        }
        if digits.count == 18, groupsOK(run, [18]) || groupsOK(run, [6, 8, 4]), Self.validID(digits) {
            return Finding(kind: .idCard, range: start..<end)
        }
        if (16...19).contains(digits.count), ("3"..."6").contains(digits[0]), groupsOK(run, [digits.count]) || fourGroups(run),
           Self.luhn(digits) {
            return Finding(kind: .bankCard, range: start..<end)
        }
        // Landline: 0 + area code (01x/02x: 3 digits, else 4) and a 7–8 digit number starting 2–9.
        if digits[0] == "0", digits.count >= 10, digits.count <= 12 {
            let area = digits[1] == "1" || digits[1] == "2" ? 3 : 4
            let local = digits.count - area
            if (7...8).contains(local), digits[1] != "0", ("2"..."9").contains(digits[area]),
               groupsOK(run, [digits.count]) || groupsOK(run, [area, local]) || groupsOK(run, [area, local - 4, 4]) {
                return Finding(kind: .landline, range: start..<end)
            }
        }
        return nil
    }

    /// `(021)58781234`, `（021）5878-1234`.
    func landlineWithParens(_ s: [Unicode.Scalar], _ i: Int) -> Finding? {
        let area = digitRun(s, i + 1, separators: [])
        guard let a = area.last, area.first?.0 == "0", area.count == 3 || area.count == 4, at(s, a.1 + 1) == ")" else { return nil }
        var j = a.1 + 2
        while at(s, j) == " " { j += 1 }
        let run = digitRun(s, j)
        guard let last = run.last, (7...8).contains(run.count), ("2"..."9").contains(run[0].0) else { return nil }
        if let next = at(s, last.1 + 1), Self.isDigit(next) { return nil }
        return Finding(kind: .landline, range: i..<last.1 + 1)
    }

    /// True when the run's separators fall exactly between groups of these sizes (or there are none).
    func groupsOK(_ run: [(Unicode.Scalar, Int)], _ sizes: [Int]) -> Bool {
        var breaks: [Int] = []
        for k in 1..<max(run.count, 1) where run[k].1 != run[k - 1].1 + 1 { breaks.append(k) }
        if breaks.isEmpty { return true }
        var cumulative: [Int] = []
        var sum = 0
        for size in sizes.dropLast() { sum += size; cumulative.append(sum) }
        return breaks == cumulative && sizes.reduce(0, +) == run.count
    }

    func fourGroups(_ run: [(Unicode.Scalar, Int)]) -> Bool {
        var sizes = Array(repeating: 4, count: run.count / 4)
        if run.count % 4 != 0 { sizes.append(run.count % 4) }
        return groupsOK(run, sizes)
    }

    static let idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let idChecks: [Unicode.Scalar] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// GB 11643: region code not starting 0 or 9, a real birth date 1900–2099, the MOD 11-2 check character.
    static func validID(_ c: [Unicode.Scalar]) -> Bool {
        guard c.count == 18, c[0] != "0", c[0] != "9" else { return false }
        let d = c.prefix(17).map { Int($0.value) - 48 }
        let year = d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9]
        let month = d[10] * 10 + d[11]
        let day = d[12] * 10 + d[13]
        guard (1900...2099).contains(year), (1...12).contains(month), day >= 1, day <= CaseTime.daysIn(month: month, year: year) else { return false }
        let sum = zip(d, idWeights).map { $0 * $1 }.reduce(0, +)
        let check = c[17] == "x" ? "X" : c[17]
        return idChecks[sum % 11] == check
    }

    static func luhn(_ digits: [Unicode.Scalar]) -> Bool {
        var sum = 0
        for (k, c) in digits.reversed().enumerated() {
            var v = Int(c.value) - 48
            if k % 2 == 1 { v *= 2; if v > 9 { v -= 9 } }
            sum += v
        }
        return sum % 10 == 0
    }

    // MARK: Landline without an area code, after a cue word

    static let cues: [[Unicode.Scalar]] = ["电话", "座机", "固话", "联系", "致电", "拨打", "tel", "TEL", "Tel", "号码"].map { Array($0.unicodeScalars) }

    func cuedLandline(_ s: [Unicode.Scalar], _ i: Int) -> Finding? {
        guard Self.isDigit(s[i]), !(at(s, i - 1).map(Self.isAlnum) ?? false) else { return nil }
        let run = digitRun(s, i, separators: ["-", " "])
        guard let last = run.last, (7...8).contains(run.count), ("2"..."9").contains(run[0].0) else { return nil }
        if let next = at(s, last.1 + 1), Self.isDigit(next) { return nil }
        guard groupsOK(run, [run.count]) || groupsOK(run, [run.count - 4, 4]) else { return nil }
        // A cue word ends at most 6 characters before the number (电话：, 联系电话是 …).
        let windowStart = max(0, i - 8)
        let before = Array(s[windowStart..<i])
        for cue in Self.cues where before.count >= cue.count {
            for k in 0...(before.count - cue.count) where Array(before[k..<k + cue.count]) == cue && before.count - (k + cue.count) <= 6 {
                return Finding(kind: .landline, range: i..<last.1 + 1)
            }
        }
        return nil
    }
}
