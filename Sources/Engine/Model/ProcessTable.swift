import IR

/// Descriptor tables of the traced processes: which descriptor of which process refers to which
/// socket. Threads (and `clone(CLONE_FILES)`) share a table; `fork` copies it, so both processes
/// then hold references to the same sockets.
struct ProcessTable: Sendable {
    /// A process or thread. Pids are unique on a host, so a process with a known pid is keyed by its
    /// host (a `-ff` file set or several traces of one host see each other's forks); a trace that
    /// prints no pids is its own scope. `feed` is the trace the call came from (not part of the key).
    struct Key: Hashable, Sendable {
        var scope: Int
        var pid: Int32
        var feed: TraceID
        init(host: HostIndex, feed: TraceID, pid: Int32?) {
            if let pid { scope = -1 - host; self.pid = pid } else { scope = feed.index; self.pid = -1 }
            self.feed = feed
        }
        init(trace: TraceID, pid: Int32?) { self.init(host: 0, feed: trace, pid: pid) }
        static func == (a: Key, b: Key) -> Bool { a.scope == b.scope && a.pid == b.pid }
        func hash(into h: inout Hasher) { h.combine(scope); h.combine(pid) }
    }

    private var tables: [[Int32: SocketID]] = []
    private var tableOf: [Key: Int] = [:]
    /// The table each trace's first process uses, for threads that appear without a clone line.
    private var firstTable: [TraceID: Int] = [:]

    /// The table of a process, created (or inherited) on first use.
    mutating func table(for key: Key) -> Int {
        if let t = tableOf[key] { return t }
        let t: Int
        if let first = firstTable[key.feed] {
            t = first
        } else {
            t = tables.count
            tables.append([:])
            firstTable[key.feed] = t
        }
        tableOf[key] = t
        return t
    }

    func lookup(_ key: Key, _ descriptor: Int32) -> SocketID? {
        let t = tableOf[key] ?? firstTable[key.feed]
        guard let t else { return nil }
        return tables[t][descriptor]
    }

    /// Points `descriptor` at `socket` (nil removes it); returns the socket it referred to before.
    @discardableResult
    mutating func set(_ key: Key, _ descriptor: Int32, _ socket: SocketID?) -> SocketID? {
        let t = table(for: key)
        let old = tables[t][descriptor]
        tables[t][descriptor] = socket
        return old
    }

    /// Registers a child created by fork/clone: it shares the parent's table (`share`, CLONE_FILES:
    /// threads) or gets a copy of it as it is now. Returns the sockets whose reference count grows.
    mutating func announce(child: Key, parent: Key, share: Bool) -> [SocketID] {
        let t = table(for: parent)
        guard tableOf[child] == nil else { return [] }
        if share {
            tableOf[child] = t
            return []
        }
        tableOf[child] = tables.count
        tables.append(tables[t])
        return Array(tables[t].values)
    }

    /// Every (descriptor, socket) of a table, for a process that exits.
    func entries(of key: Key) -> [(Int32, SocketID)] {
        guard let t = tableOf[key] else { return [] }
        return tables[t].map { ($0.key, $0.value) }
    }

    /// How many processes/threads use the table of `key`.
    func sharers(of key: Key) -> Int {
        guard let t = tableOf[key] else { return 0 }
        return tableOf.values.filter { $0 == t }.count
    }

    /// Forgets a process that exited, removing its table's entries when nobody else shares it.
    mutating func remove(_ key: Key) {
        guard let t = tableOf.removeValue(forKey: key) else { return }
        if !tableOf.values.contains(t) { tables[t] = [:] }
    }
}
