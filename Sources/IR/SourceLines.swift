/// The 1-based line(s) of a trace file an event was read from.
///
/// Most events come from one line. A call the tracer split in two (strace's
/// `<unfinished ...>` / `<... resumed>`) keeps both: `first` is where the call started,
/// `resumed` where its result was printed. Continuation lines that belong to the event
/// (stack frames, data dumps) follow the last line and are counted in `continuationCount`.
public struct SourceLines: Sendable, Hashable {
    public var first: Int
    public var resumed: Int?
    public var continuationCount: Int

    @inlinable public init(first: Int, resumed: Int? = nil, continuationCount: Int = 0) {
        self.first = first
        self.resumed = resumed
        self.continuationCount = continuationCount
    }

    /// The line on which the event's own text ends (before any continuation lines).
    public var last: Int { resumed ?? first }

    /// Every line that names the event in a report: `[first]` or `[first, resumed]`.
    public var all: [Int] { resumed.map { [first, $0] } ?? [first] }
}
