import IR

/// Reads one trace format into IR events. One conforming type per format, registered in
/// ``FrontEnds/all``; nothing else needs to change to add a format.
public protocol FrontEnd: Sendable {
    /// The name users pass to `--from` (`strace`, `ir`).
    static var name: String { get }
    /// A one-line description for `--help` and errors.
    static var summary: String { get }
    /// How sure the format is that `sample` (the first lines of an input) is its own:
    /// 0 (certainly not) to 1 (certainly).
    static func confidence(sample: [UInt8]) -> Double
    /// Starts reading `lines` as trace `path`, registering the traces it finds in `traces`.
    static func reader(lines: LineReader, path: String, traces: TraceRegistry, options: ReadOptions) throws(InputError) -> any EventReader
}

/// Options that apply to every front end.
public struct ReadOptions: Sendable {
    /// The platform to assume when the trace itself does not say (`nil`: the format's default).
    public var platform: Platform?
    public init(platform: Platform? = nil) { self.platform = platform }
}

/// A stream of events read from one input.
public protocol EventReader: AnyObject {
    /// The next event, or nil at the end of the input.
    func next() throws(InputError) -> Event?
    /// What the reader has seen so far.
    var statistics: ReadStatistics { get }
}

/// Counts a reader keeps, for reports and for `--strict`.
public struct ReadStatistics: Sendable, Hashable {
    public var lines = 0
    public var events = 0
    public var unparsed = 0
    /// The first unparsed line, for `--strict` errors.
    public var firstUnparsed: (line: Int, column: Int, reason: String)? {
        get { firstUnparsedLine.map { ($0, firstUnparsedColumn, firstUnparsedReason) } }
        set {
            firstUnparsedLine = newValue?.line
            firstUnparsedColumn = newValue?.column ?? 0
            firstUnparsedReason = newValue?.reason ?? ""
        }
    }
    private var firstUnparsedLine: Int?
    private var firstUnparsedColumn = 0
    private var firstUnparsedReason = ""
    public init() {}
}

/// The traces read so far, shared by the readers of one run so trace ids stay unique.
public final class TraceRegistry: @unchecked Sendable {
    public private(set) var table = TraceTable()
    public init() {}
    public func register(_ info: TraceInfo) -> TraceID { table.register(info) }
    public subscript(id: TraceID) -> TraceInfo { table[id] }
}

/// Every front end this build knows, and the choice between them.
public enum FrontEnds {
    /// The registered formats. Add a new front end here.
    public static let all: [any FrontEnd.Type] = [StraceFrontEnd.self, IRFrontEnd.self]

    /// The front end registered under `name`.
    public static func named(_ name: String) -> (any FrontEnd.Type)? { all.first { $0.name == name } }

    /// The format that claims `sample` most confidently, with its confidence; nil when none claims it.
    public static func sniff(_ sample: [UInt8]) -> (format: any FrontEnd.Type, confidence: Double)? {
        var best: (any FrontEnd.Type, Double)?
        for f in all {
            let c = f.confidence(sample: sample)
            if c > (best?.1 ?? 0) { best = (f, c) }
        }
        return best.map { ($0.0, $0.1) }
    }
}
