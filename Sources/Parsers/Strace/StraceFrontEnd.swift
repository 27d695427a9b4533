import IR

/// The strace front end: every output form of strace 4.x to 7.x (see `grammars/strace.md`).
public struct StraceFrontEnd: FrontEnd {
    public static let name = "strace"
    public static let summary = "strace output (Linux)"

    /// Counts lines that look like strace's: `name(...) = ...`, signals, exits, resumed calls.
    public static func confidence(sample: [UInt8]) -> Double {
        var lines = 0, hits = 0
        sample.withUnsafeBufferPointer { p in
            var start = 0
            var k = 0
            while k <= p.count && lines < 200 {
                if k == p.count || p[k] == 0x0A {
                    // -k stack frames (" > /lib/...(sym+0x1) [0x2]") belong to the call above them.
                    let isFrame = k - start > 3 && p[start] == 0x20 && p[start + 1] == 0x3E && p[start + 2] == 0x20
                    if k > start && !isFrame {
                        lines += 1
                        if looksLikeStrace(UnsafeBufferPointer(rebasing: p[start..<k])) { hits += 1 }
                    }
                    start = k + 1
                }
                k += 1
            }
        }
        guard lines > 0 else { return 0 }
        return Double(hits) / Double(lines)
    }

    static func looksLikeStrace(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        if find(line, " resumed>", from: 0) != nil || find(line, "<unfinished ...>", from: 0) != nil { return true }
        if find(line, "--- SIG", from: 0) != nil || find(line, "+++ ", from: 0) != nil { return true }
        // name(...) = result, with no truss/dtruss markers.
        guard let eq = find(line, ") = ", from: 0) ?? findSpacedEquals(line) else { return false }
        if find(line, "Err#", from: 0) != nil || find(line, "ERR#", from: 0) != nil { return false }
        return eq > 0
    }

    static func findSpacedEquals(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let k = find(line, ")  ", from: 0) else { return nil }
        var m = k + 1
        while m < line.count && line[m] == C.space { m += 1 }
        return m + 1 < line.count && line[m] == C.equals && line[m + 1] == C.space ? k : nil
    }

    public static func reader(lines: LineReader, path: String, traces: TraceRegistry,
                              options: ReadOptions) throws(InputError) -> any EventReader {
        let info = TraceInfo(path: path, format: name, platform: options.platform ?? .linux, filePID: filePID(path))
        return StraceReader(lines: lines, trace: traces.register(info), info: info)
    }

    /// The pid in an `strace -ff` file name (`trace.1234`, `trace.1234.gz`).
    static func filePID(_ path: String) -> Int32? {
        var name = Substring(path.split(separator: "/").last ?? "")
        if name.hasSuffix(".gz") { name = name.dropLast(3) }
        guard let dot = name.lastIndex(of: "."), let pid = Int32(name[name.index(after: dot)...]), pid > 0 else { return nil }
        return pid
    }
}
