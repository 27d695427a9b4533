import IR

/// Where a call came from: its trace, its line(s) and the thread that made it. Findings, problems
/// and the ordering graph cite calls by this.
public struct CallRef: Sendable, Hashable, Comparable {
    public var trace: TraceID
    /// The line where the call starts (the unfinished half, for a split call).
    public var line: Int
    /// The line where a split call resumed, if it was split.
    public var resumedLine: Int?
    /// The thread or process that made the call, when the trace says.
    public var pid: Int32?
    /// The call's name as the trace wrote it (`fcntl64`, `accept4`).
    public var name: String

    public init(trace: TraceID, line: Int, resumedLine: Int? = nil, pid: Int32? = nil, name: String) {
        self.trace = trace
        self.line = line
        self.resumedLine = resumedLine
        self.pid = pid
        self.name = name
    }

    init(_ event: Event, _ call: Syscall) {
        self.init(trace: event.trace, line: event.lines.first, resumedLine: event.lines.resumed,
                  pid: event.frame.pid, name: call.writtenName)
    }

    /// Every line of the call.
    public var lines: [Int] { resumedLine.map { [line, $0] } ?? [line] }

    public static func < (a: CallRef, b: CallRef) -> Bool { (a.trace, a.line) < (b.trace, b.line) }
}
