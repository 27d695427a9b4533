#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IR

/// The files a user named, grouped the way they must be read: a directory or a set of
/// `strace -ff` files (`NAME.PID`) is one trace set merged in timestamp order; other files stand alone.
public struct TraceSet: Sendable, Hashable {
    /// Files read one after another, each a group merged by time when it has several files.
    public var groups: [[String]]

    /// Expands directories (their regular files, sorted) and groups `-ff` files by base name.
    public static func expand(_ inputs: [String]) throws(InputError) -> TraceSet {
        var groups: [[String]] = []
        var loose: [String] = []
        for path in inputs {
            if path != "-" && isDirectory(path) {
                let files = try listFiles(path)
                guard !files.isEmpty else { throw InputError(path: path, message: "directory holds no trace files") }
                groups.append(files)
            } else {
                loose.append(path)
            }
        }
        // Loose files NAME.PID with a common NAME and more than one member merge like a directory.
        var byBase: [String: [String]] = [:]
        var order: [String] = []
        for path in loose {
            let key = ffBase(path) ?? "\u{0}" + path
            if byBase[key] == nil { order.append(key) }
            byBase[key, default: []].append(path)
        }
        for key in order {
            let members = byBase[key]!
            if key.hasPrefix("\u{0}") || members.count == 1 {
                groups += members.map { [$0] }
            } else {
                groups.append(members)
            }
        }
        return TraceSet(groups: groups)
    }

    /// `dir/trace` for `dir/trace.1234` (also `.gz`); nil when the name has no numeric suffix.
    static func ffBase(_ path: String) -> String? {
        guard StraceFrontEnd.filePID(path) != nil else { return nil }
        var p = Substring(path)
        if p.hasSuffix(".gz") { p = p.dropLast(3) }
        guard let dot = p.lastIndex(of: ".") else { return nil }
        return String(p[..<dot])
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func listFiles(_ dir: String) throws(InputError) -> [String] {
        guard let d = opendir(dir) else {
            throw InputError(path: dir, message: "cannot open directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var st = stat()
            if stat(full, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { names.append(full) }
        }
        return names.sorted()
    }
}

/// Reads several traces of one run (`strace -ff` files) as one stream in timestamp order,
/// holding only the next event of each.
///
/// Events without a timestamp follow the event before them in their own file. Time-of-day clocks
/// that go backwards by more than twelve hours are taken to have passed midnight.
public final class MergedReader: EventReader {
    private var readers: [any EventReader]
    private var heads: [(event: Event, key: Int64)?]
    private var lastKey: [Int64]
    private var dayOffset: [Int64]

    public init(_ readers: [any EventReader]) throws(InputError) {
        self.readers = readers
        heads = Array(repeating: nil, count: readers.count)
        lastKey = Array(repeating: Int64.min, count: readers.count)
        dayOffset = Array(repeating: 0, count: readers.count)
        for k in readers.indices { try advance(k) }
    }

    private func advance(_ k: Int) throws(InputError) {
        guard let e = try readers[k].next() else { heads[k] = nil; return }
        var key = lastKey[k]
        if let t = e.frame.time, t.kind != .relative {
            var v = t.nanoseconds + dayOffset[k]
            let day: Int64 = 86_400_000_000_000
            if t.kind == .timeOfDay && lastKey[k] != Int64.min && v < lastKey[k] - day / 2 {
                dayOffset[k] += day
                v += day
            }
            key = v
        }
        lastKey[k] = key
        heads[k] = (e, key)
    }

    public func next() throws(InputError) -> Event? {
        var best: Int?
        for k in heads.indices {
            guard let h = heads[k] else { continue }
            if let b = best, let hb = heads[b], hb.key <= h.key { continue }
            best = k
        }
        guard let k = best, let h = heads[k] else { return nil }
        try advance(k)
        return h.event
    }

    public var statistics: ReadStatistics {
        var s = ReadStatistics()
        for r in readers {
            let x = r.statistics
            s.lines += x.lines
            s.events += x.events
            s.unparsed += x.unparsed
            if s.firstUnparsed == nil { s.firstUnparsed = x.firstUnparsed }
        }
        return s
    }
}
