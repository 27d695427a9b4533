import IR

/// The model of an ideal network that calls are simulated against (section 4.2 of the paper).
///
/// It holds the hosts, every live socket, TCP connections with the bytes in flight each way, UDP
/// datagrams waiting to be read, and each process's descriptor table. ``simulate(_:force:)``
/// accepts a call whose logged result the current state explains, rejects one that only a later
/// state could explain, and, when forced, accepts the call anyway with a finding that says what it
/// could not explain. Rejection never changes the state.
public struct NetworkModel: Sendable {
    /// What the ordering algorithm learns from simulating one call.
    public enum Outcome: Sendable {
        /// The call fits; findings note what it says (explained errors, deviations found on the way).
        case accepted([Finding])
        /// The call cannot happen yet. `reason` is the finding recorded if it is forced anyway; nil
        /// when forcing it is harmless (for example a connect to an untraced outside peer).
        case rejected(reason: Finding?)
    }

    /// A call ready for simulation.
    public struct Call: Sendable {
        public var syscall: Syscall
        var kind: CallKind
        public var ref: CallRef
        public var host: HostIndex
        /// The trace (or -ff file set) whose processes share pid numbering: descriptor tables are
        /// looked up by this and the pid.
        public var space: TraceID
        var process: ProcessTable.Key { ProcessTable.Key(host: host, feed: space, pid: ref.pid) }
    }

    struct HostState: Sendable {
        var name: String
        var platform: Platform
        var addresses: Set<IPAddress>
        var declared: Bool
        var nats: [NATMapping]
    }

    var hosts: [HostState]
    /// The hosts' names, platforms and addresses (declared and learned), in configuration order.
    public var hostSummaries: [HostSummary] {
        hosts.map { HostSummary(name: $0.name, platform: $0.platform, addresses: $0.addresses.sorted { $0.description < $1.description }) }
    }
    let ignored: [IgnoredPeer]
    var sockets: [SocketID: ModelSocket] = [:]
    var connections: [ConnectionID: Connection] = [:]
    var processes = ProcessTable()
    public internal(set) var evidence = Evidence()
    public internal(set) var statistics = TrafficStatistics()
    /// Calls that hold an unfinished call on a socket, by trace and thread: (socket, call).
    var blocked: [ThreadKey: (SocketID, CallRef)] = [:]
    /// Live sockets by local port, for listener, receiver and conflict lookups.
    var bound: [UInt16: [SocketID]] = [:]
    private var nextSocket = 0
    private var nextConnection = 0
    /// Counters of what the model set aside.
    public internal(set) var counters = ModelCounters()

    public init(configuration: Configuration, platforms: [Platform]) {
        var hosts: [HostState] = []
        for (index, spec) in configuration.hosts.enumerated() {
            hosts.append(HostState(name: spec.name ?? "host\(index + 1)",
                                   platform: index < platforms.count ? platforms[index] : .linux,
                                   addresses: Set(spec.addresses.map(\.unmapped)),
                                   declared: !spec.addresses.isEmpty, nats: spec.nats))
        }
        self.hosts = hosts
        self.ignored = configuration.ignored
    }

    // MARK: identifiers

    mutating func newSocket(host: HostIndex, family: SocketFamily, transport: Transport, created: CallRef) -> SocketID {
        let id = SocketID(raw: nextSocket)
        nextSocket += 1
        sockets[id] = ModelSocket(id: id, host: host, family: family, transport: transport, created: created)
        counters.socketsCreated += 1
        return id
    }

    mutating func newConnection(client: SocketID, listener: SocketID, target: Endpoint, opened: CallRef) -> ConnectionID {
        let id = ConnectionID(raw: nextConnection)
        nextConnection += 1
        connections[id] = Connection(id: id, client: client, clientHost: sockets[client]?.host ?? 0, listener: listener, target: target, opened: opened)
        return id
    }

    /// Gives a socket its local port and indexes it.
    mutating func setPort(_ port: UInt16, of s: inout ModelSocket) {
        if let old = s.localPort { bound[old]?.removeAll { $0 == s.id } }
        s.localPort = port
        bound[port, default: []].append(s.id)
    }

    // MARK: descriptors

    /// The socket a descriptor of the calling process refers to.
    func socket(for call: Call, descriptor: Int32?) -> SocketID? {
        guard let descriptor else { return nil }
        return processes.lookup(call.process, descriptor)
    }

    /// Whether the call names a descriptor that is a socket in the model.
    func touchesSocket(_ call: Call) -> Bool {
        socket(for: call, descriptor: call.syscall.descriptor()) != nil
    }

    // MARK: addresses

    /// Whether `address` is one of the host's own (loopback always is).
    func isLocal(_ address: IPAddress, to host: HostIndex) -> Bool {
        let a = address.unmapped
        return a.isLoopback || hosts[host].addresses.contains(a)
    }

    /// The host that owns `address`, if any host does.
    func owner(of address: IPAddress, from host: HostIndex) -> HostIndex? {
        let a = address.unmapped
        if a.isLoopback || a.isUnspecified { return host }
        if hosts[host].addresses.contains(a) { return host }
        return hosts.indices.first { hosts[$0].addresses.contains(a) }
    }

    /// Hosts whose configuration declares `address` (several hosts recorded on one machine may all
    /// declare 127.0.0.1).
    func hostsDeclaring(_ address: IPAddress) -> [HostIndex] {
        let a = address.unmapped
        return hosts.indices.filter { hosts[$0].declared && hosts[$0].addresses.contains(a) }
    }

    /// Whether the configuration tells the model to leave this peer alone.
    func isIgnored(_ endpoint: Endpoint) -> Bool { ignored.contains { $0.covers(endpoint) } }

    /// Where a packet sent from `host` to `destination` arrives: the host and the endpoint there
    /// (after any NAT mapping declared in the configuration); nil when no traced host owns it.
    func route(_ destination: Endpoint, from host: HostIndex) -> (host: HostIndex, endpoint: Endpoint, nat: NATMapping?)? {
        if let owner = owner(of: destination.address, from: host) { return (owner, destination, nil) }
        for (index, state) in hosts.enumerated() {
            for nat in state.nats {
                if let inside = nat.inbound(destination) { return (index, inside, nat) }
            }
        }
        return nil
    }

    /// Whether some host's addresses are still unknown, so an address the model does not recognise
    /// may yet turn out to be one of them.
    var hasHostsWithUnknownAddresses: Bool {
        hosts.contains { $0.addresses.isEmpty }
    }

    /// Records an address a host turned out to have.
    mutating func learn(_ address: IPAddress?, for host: HostIndex) {
        guard let a = address?.unmapped, !a.isLoopback, !a.isUnspecified else { return }
        if !hosts[host].declared { hosts[host].addresses.insert(a) }
    }

    /// The source address the host uses towards `destination` when the socket is not bound.
    func sourceAddress(towards destination: IPAddress, from host: HostIndex, family: SocketFamily) -> IPAddress? {
        let d = destination.unmapped
        if d.isUnspecified { return d.isIPv6 ? .v6(.loopback) : .v4(.loopback) }
        if d.isLoopback || hosts[host].addresses.contains(d) { return d }
        let candidates = hosts[host].addresses.filter { $0.isIPv6 == d.isIPv6 }
        return candidates.count == 1 ? candidates.first : nil
    }

    /// Whether two addresses name the same interface as a peer sees them (127.0.0.0/8 is one).
    static func sameAddress(_ a: IPAddress, _ b: IPAddress) -> Bool {
        let x = a.unmapped, y = b.unmapped
        if x == y { return true }
        return x.isLoopback && y.isLoopback
    }

    // MARK: the dispatcher

    /// Simulates one call. Unless `force` is set, a call the current state cannot explain yet is
    /// rejected and the state is left as it was.
    public mutating func simulate(_ call: Call, force: Bool) -> Outcome {
        switch call.kind {
        case .socket: return simulateSocket(call)
        case .socketpair, .otherDescriptor: return simulateOtherDescriptor(call)
        case .bind: return simulateBind(call, force: force)
        case .listen: return simulateListen(call)
        case .connect: return simulateConnect(call, force: force)
        case .accept: return simulateAccept(call, force: force)
        case .close: return simulateClose(call)
        case .shutdown: return simulateShutdown(call, force: force)
        case .send, .sendto, .sendmsg, .sendmmsg, .write, .writev, .sendfile: return simulateSend(call, force: force)
        case .recv, .recvfrom, .recvmsg, .recvmmsg, .read, .readv: return simulateReceive(call, force: force)
        case .setsockopt: return simulateSetOption(call)
        case .getsockopt: return simulateGetOption(call, force: force)
        case .getsockname: return simulateSocketName(call)
        case .getpeername: return simulatePeerName(call)
        case .fcntl: return simulateFcntl(call)
        case .ioctl: return simulateIoctl(call)
        case .poll, .select, .epollWait: return simulateReadiness(call, force: force)
        case .epollCreate, .epollControl: return simulateOtherDescriptor(call)
        case .dup, .dup2: return simulateDup(call)
        case .fork, .clone: return simulateFork(call)
        case .execve: return .accepted([])
        case .exitProcess: return simulateExit(call)
        }
    }

    // MARK: helpers for handlers

    func finding(_ call: Call, _ code: String, _ severity: Severity, _ message: String, fix: String? = nil) -> Finding {
        Finding(call: call.ref, code: code, severity: severity, message: message, fix: fix)
    }

    /// A finding for a call that failed with an error the model explains.
    func explained(_ call: Call, _ severity: Severity = .warning, _ message: String, fix: String? = nil) -> Finding {
        finding(call, call.syscall.errorName ?? "ERROR", severity, message, fix: fix)
    }

    /// The name of a socket for messages: `host:trace fd N`.
    func describe(_ socket: SocketID) -> String {
        guard let s = sockets[socket] else { return "socket \(socket)" }
        if let local = s.localEndpoint { return "\(hosts[s.host].name) socket \(local)" }
        return "\(hosts[s.host].name) socket"
    }
}

/// Counts of calls the model set aside, reported so nothing is ignored silently.
public struct ModelCounters: Sendable, Hashable {
    public var socketsCreated = 0
    public var nonNetworkCalls = 0
    public var callsOnOtherDescriptors = 0
    public var callsOnUnknownDescriptors = 0
    public var nonInternetSocketCalls = 0
    public var unreturnedCalls = 0
    public var interruptedCalls = 0
    public var externalCalls = 0
    public var ignoredPeerCalls = 0
}

/// A thread in a trace.
struct ThreadKey: Hashable, Sendable {
    var trace: TraceID
    var pid: Int32
}

extension IPAddress {
    var isIPv6: Bool { if case .v6 = self { return true } else { return false } }
}

/// A host as the model ended up knowing it.
public struct HostSummary: Sendable, Hashable {
    public var name: String
    public var platform: Platform
    /// Declared (` ip`) and learned addresses.
    public var addresses: [IPAddress]
}
