/// An open-addressing hash table from packed scalar keys to runs of literal ids:
/// much cheaper per lookup than a `Dictionary` with SipHash on this hot path.
struct LiteralTable: Sendable {
    private var keys: [UInt64]
    private var ranges: [Range<Int>]
    /// Literal ids, grouped by key.
    let values: [Int32]
    private let mask: Int

    init(_ map: [UInt64: [Int32]]) {
        var capacity = 16
        while capacity < map.count * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: 0, count: capacity)
        ranges = [Range<Int>](repeating: 0..<0, count: capacity)
        mask = capacity - 1
        var values: [Int32] = []
        for (key, ids) in map {
            var slot = LiteralTable.hash(key) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            ranges[slot] = values.count..<(values.count + ids.count)
            values += ids
        }
        self.values = values
    }

    var isEmpty: Bool { values.isEmpty }

    @inline(__always) static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    /// The range of `values` for `key`, or `nil`. Keys are never 0 (they carry their length).
    @inline(__always) func lookup(_ key: UInt64) -> Range<Int>? {
        var slot = LiteralTable.hash(key) & mask
        while true {
            let k = keys[slot]
            if k == key { return ranges[slot] }
            if k == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}
