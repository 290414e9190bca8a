internal import PCRE2
internal import Synchronization

/// A table the matcher builds once and then only reads: a fixed block of plain values,
/// read on the hot path without bounds checks or reference counting.
final class FixedTable<Element: BitwiseCopyable>: @unchecked Sendable {
    // Unchecked: the memory is written once, in `init`, before the table is shared, and never again.
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(_ values: [Element]) {
        count = values.count
        base = .allocate(capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { if let from = $0.baseAddress { base.initialize(from: from, count: values.count) } }
    }

    deinit { base.deallocate() }

    @inline(__always) subscript(_ i: Int) -> Element { base[i] }
}

/// The per-scan marks of a ``PrefilterMatcher``, kept between scans so that a scan neither
/// allocates nor clears them: every mark carries the generation (scan number) that set it,
/// and a mark from an older generation counts as absent.
final class ScanScratch: @unchecked Sendable {
    // Unchecked: a scratch is used by one scan at a time; the pool hands it out and takes it back.
    private(set) var generation: UInt32 = 0
    /// Per atom: the generation in which it was found.
    let atomFound: UnsafeMutablePointer<UInt32>
    /// Per atom: where its last counted occurrence ended (alias entries count non-overlapping occurrences).
    let atomEnd: UnsafeMutablePointer<Int32>
    /// Per atom: its first and last occurrence in the occurrence lists (valid when found this generation).
    let atomFirst: UnsafeMutablePointer<Int32>
    let atomLast: UnsafeMutablePointer<Int32>
    /// Per program: the generation in which it became a candidate.
    let programMark: UnsafeMutablePointer<UInt32>
    let atoms: Int
    let programs: Int
    /// The growable lists, kept for their capacity.
    var lists = ScanLists()
    /// PCRE2 match data.
    let match = MatchScratch()

    init(atoms: Int, programs: Int) {
        self.atoms = atoms
        self.programs = programs
        atomFound = .allocate(capacity: max(atoms, 1))
        atomFound.initialize(repeating: 0, count: max(atoms, 1))
        atomEnd = .allocate(capacity: max(atoms, 1))
        atomEnd.initialize(repeating: 0, count: max(atoms, 1))
        atomFirst = .allocate(capacity: max(atoms, 1))
        atomFirst.initialize(repeating: -1, count: max(atoms, 1))
        atomLast = .allocate(capacity: max(atoms, 1))
        atomLast.initialize(repeating: -1, count: max(atoms, 1))
        programMark = .allocate(capacity: max(programs, 1))
        programMark.initialize(repeating: 0, count: max(programs, 1))
    }

    deinit {
        atomFound.deallocate()
        atomEnd.deallocate()
        atomFirst.deallocate()
        atomLast.deallocate()
        programMark.deallocate()
    }

    /// A new generation.
    func nextGeneration() -> UInt32 {
        if generation == UInt32.max {
            // Once every four billion scans: really clear the marks.
            atomFound.update(repeating: 0, count: max(atoms, 1))
            programMark.update(repeating: 0, count: max(programs, 1))
            generation = 0
        }
        generation += 1
        return generation
    }
}

/// The growable lists of one scan. A scan moves them out of its ``ScanScratch`` into a local
/// value and back, so the hot loop works on a plain struct.
struct ScanLists {
    /// Occurrences of the atoms whose positions are needed: offset, and the next occurrence of the same atom.
    var occurrencePosition: [Int32] = []
    var occurrenceNext: [Int32] = []
    /// Atoms found in this scan, in order of first occurrence.
    var found: [Int32] = []
    /// Programs to verify.
    var candidates: [Int32] = []
    /// Occurrences of a window, then the start offsets to try.
    var occurrences: [Int32] = []
    var starts: [Int32] = []
    /// Occurrences of the filters.
    var filter0: [Int32] = []
    var filter1: [Int32] = []
    /// Occurrences with a rank (a literal's place in its pattern), packed.
    var pairs: [UInt64] = []
    /// The native machine's backtracking stack.
    var frames: [NativeProgram.Frame] = []

    mutating func clear() {
        occurrencePosition.removeAll(keepingCapacity: true)
        occurrenceNext.removeAll(keepingCapacity: true)
        found.removeAll(keepingCapacity: true)
        candidates.removeAll(keepingCapacity: true)
    }
}

/// Scratches for the scans running at the same time: one per scan in flight, reused.
final class ScratchPool: Sendable {
    private let free = Mutex<[ScanScratch]>([])
    private let atoms: Int
    private let programs: Int

    init(atoms: Int, programs: Int) {
        self.atoms = atoms
        self.programs = programs
    }

    /// Runs `body` with a scratch of its own.
    @inline(__always) func with<R>(_ body: (ScanScratch) -> R) -> R {
        let scratch = free.withLock { $0.popLast() } ?? ScanScratch(atoms: atoms, programs: programs)
        defer { free.withLock { $0.append(scratch) } }
        return body(scratch)
    }
}
