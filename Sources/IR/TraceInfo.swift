/// Names one trace inside a stream of events: an index into the stream's ``TraceTable``.
public struct TraceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: TraceID, b: TraceID) -> Bool { a.index < b.index }
    public var description: String { "#\(index)" }
}

/// Where one trace came from and how to read it: its identity in every report.
///
/// `path` is the file as the user named it (shown in findings as `trace:line`);
/// `format` is the front end that read it (`strace`, `truss`, ...); `platform` fixes
/// errno and constant numbering.
public struct TraceInfo: Sendable, Hashable {
    public var path: String
    public var format: String
    public var platform: Platform
    /// The process id the file name carries (`trace.1234` from `strace -ff`), if any.
    public var filePID: Int32?

    public init(path: String, format: String, platform: Platform, filePID: Int32? = nil) {
        self.path = path
        self.format = format
        self.platform = platform
        self.filePID = filePID
    }

    /// The last path component: how corpus ground truth and reports name a trace.
    public var fileName: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// The traces a stream of events refers to, in the order they were registered.
public struct TraceTable: Sendable, Hashable {
    public private(set) var traces: [TraceInfo] = []

    public init() {}

    /// Registers a trace and returns its id; registering an equal trace twice returns the first id.
    @discardableResult
    public mutating func register(_ info: TraceInfo) -> TraceID {
        if let i = traces.firstIndex(of: info) { return TraceID(i) }
        traces.append(info)
        return TraceID(traces.count - 1)
    }

    public subscript(id: TraceID) -> TraceInfo { traces[id.index] }

    public var ids: [TraceID] { traces.indices.map(TraceID.init) }
    public var count: Int { traces.count }
}
