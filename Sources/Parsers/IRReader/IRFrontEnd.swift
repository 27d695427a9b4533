import IR

/// Reads IR JSON Lines (what `netcheck convert --to ir` writes), so an IR stream filtered with
/// jq can be fed back in.
public struct IRFrontEnd: FrontEnd {
    public static let name = "ir"
    public static let summary = "netcheck IR JSON Lines"

    public static func confidence(sample: [UInt8]) -> Double {
        var k = 0
        while k < sample.count && (sample[k] == 0x20 || sample[k] == 0x0A || sample[k] == 0x0D) { k += 1 }
        let marker = Array("{\"netcheck_ir\":".utf8)
        guard sample.count >= k + marker.count else { return 0 }
        return Array(sample[k..<k + marker.count]) == marker ? 1 : 0
    }

    public static func reader(lines: LineReader, path: String, traces: TraceRegistry,
                              options: ReadOptions) throws(InputError) -> any EventReader {
        IRReader(lines: lines, path: path, traces: traces)
    }
}

/// Reads IR records line by line; a line that is not valid IR is an error naming the line and column.
final class IRReader: EventReader {
    private let lines: LineReader
    private let path: String
    private let traces: TraceRegistry
    private var ids: [Int: TraceID] = [:]
    private(set) var statistics = ReadStatistics()

    init(lines: LineReader, path: String, traces: TraceRegistry) {
        self.lines = lines
        self.path = path
        self.traces = traces
    }

    func next() throws(InputError) -> Event? {
        while let line = try lines.next() {
            statistics.lines += 1
            if line.overlongLength != nil {
                throw InputError(path: path, line: line.number, message: "line longer than \(lines.maxLineLength) bytes; expected one IR record per line")
            }
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let record: IRRecord
            do {
                record = try IRDecoder.record(fromLine: line.bytes, traces: ids)
            } catch {
                throw InputError(path: path, line: line.number, column: error.column, message: error.description)
            }
            switch record {
            case .trace(let t):
                ids[t.id.index] = traces.register(t.info)
            case .event(let e):
                if case .unparsed = e.kind {
                    statistics.unparsed += 1
                    if statistics.firstUnparsed == nil, case .unparsed(let u) = e.kind {
                        statistics.firstUnparsed = (e.lines.first, u.column, u.reason)
                    }
                }
                statistics.events += 1
                return e
            }
        }
        return nil
    }
}
