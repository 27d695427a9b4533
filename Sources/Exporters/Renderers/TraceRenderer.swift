import IR

/// Writes IR events out in one trace format. One conforming type per format, registered in
/// ``TraceRenderers/all``.
public protocol TraceRenderer: Sendable {
    /// The name users pass to `convert --to`.
    static var name: String { get }
    init()
    /// Appends the text of `event` (every line it stands for, each ending in a newline) to `out`.
    /// `info` describes the event's trace; layout recorded by the same format is reproduced.
    mutating func render(_ event: Event, info: TraceInfo, into out: inout [UInt8])
    /// Appends whatever must follow the last event.
    mutating func finish(into out: inout [UInt8])
}

extension TraceRenderer {
    public mutating func finish(into out: inout [UInt8]) {}
}

/// Every renderer this build knows.
public enum TraceRenderers {
    /// The registered renderers. Add a new one here.
    public static let all: [any TraceRenderer.Type] = [StraceRenderer.self, IRRenderer.self]

    public static func named(_ name: String) -> (any TraceRenderer.Type)? { all.first { $0.name == name } }
}

/// Writes IR JSON Lines: a trace record before each trace's first event, then one line per event.
public struct IRRenderer: TraceRenderer {
    public static let name = "ir"
    private var announced: Set<String> = []
    private var numbers: [TraceInfo: Int] = [:]

    public init() {}

    public mutating func render(_ event: Event, info: TraceInfo, into out: inout [UInt8]) {
        var e = event
        if let n = numbers[info] {
            e.trace = TraceID(n)
        } else {
            let n = numbers.count
            numbers[info] = n
            e.trace = TraceID(n)
            out += IREncoder.line(for: TraceRecord(id: TraceID(n), info: info))
            out.append(0x0A)
        }
        out += IREncoder.line(for: e)
        out.append(0x0A)
    }
}
