import IR

/// Descriptor tables of the traced processes: which descriptor of which process refers to which
/// socket. Threads (and `clone(CLONE_FILES)`) share a table; `fork` copies it, so both processes
/// then hold references to the same sockets.
struct ProcessTable: Sendable {
    /// A process or thread: its trace and its pid (-1 when the trace prints no pids).
    struct Key: Hashable, Sendable {
        var trace: TraceID
        var pid: Int32
        init(trace: TraceID, pid: Int32?) { self.trace = trace; self.pid = pid ?? -1 }
        init(_ ref: CallRef) { self.init(trace: ref.trace, pid: ref.pid) }
    }

    private var tables: [[Int32: SocketID]] = []
    private var tableOf: [Key: Int] = [:]
    /// The table each trace's first process uses, for threads that appear without a clone line.
    private var firstTable: [TraceID: Int] = [:]
    /// Children announced by fork/clone before their first line: pid -> (table to share or copy).
    private var announced: [Key: (table: Int, share: Bool)] = [:]

    /// The table of a process, created (or inherited) on first use.
    mutating func table(for key: Key) -> Int {
        if let t = tableOf[key] { return t }
        let t: Int
        if let parent = announced.removeValue(forKey: key) {
            if parent.share { t = parent.table } else { t = tables.count; tables.append(tables[parent.table]) }
        } else if let first = firstTable[key.trace] {
            t = first
        } else {
            t = tables.count
            tables.append([:])
            firstTable[key.trace] = t
        }
        tableOf[key] = t
        return t
    }

    func lookup(_ key: Key, _ descriptor: Int32) -> SocketID? {
        let t = tableOf[key] ?? firstTable[key.trace]
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

    /// Announces a child created by fork/clone; `share` for CLONE_FILES (threads).
    /// Returns the sockets whose reference count grows (a copied table).
    mutating func announce(child: Key, parent: Key, share: Bool) -> [SocketID] {
        let t = table(for: parent)
        if let existing = tableOf[child] { _ = existing; return [] }
        announced[child] = (t, share)
        return share ? [] : Array(tables[t].values)
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
