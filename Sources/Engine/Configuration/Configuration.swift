import IR

/// The hosts of a trace set as the user described them: NetCheck's configuration file, or one
/// host per trace when there is none.
///
/// The syntax is NetCheck's own, unchanged (`ignore`, `host`, ` trace`, ` ip`, ` nat`), with
/// extensions that never break it (` platform NAME` in a host block, `platform=NAME` after a trace).
/// See docs/configuration.md.
public struct Configuration: Sendable, Hashable {
    /// Addresses (optionally with a port) whose traffic the model sets aside, such as a DNS server.
    public var ignored: [IgnoredPeer]
    /// The hosts, in the order they were declared.
    public var hosts: [HostSpec]
    /// The file the configuration came from, when it came from one.
    public var path: String?

    public init(ignored: [IgnoredPeer] = [], hosts: [HostSpec] = [], path: String? = nil) {
        self.ignored = ignored
        self.hosts = hosts
        self.path = path
    }

    /// Every trace of every host, in declaration order.
    public var traces: [TraceSpec] { hosts.flatMap(\.traces) }
}

/// One host block: the traces recorded on one machine and what the user knows of its addresses.
public struct HostSpec: Sendable, Hashable {
    /// The name given after `host`, if any.
    public var name: String?
    /// The traces recorded on this host (one per process, or one `-f` trace).
    public var traces: [TraceSpec]
    /// The host's own addresses (` ip` lines).
    public var addresses: [IPAddress]
    /// Address translations in front of this host (` nat PRIVATE[,PORT] PUBLIC[,PORT]`).
    public var nats: [NATMapping]
    /// The platform every trace of the host came from (` platform NAME`), unless a trace says otherwise.
    public var platform: Platform?
    /// The line of the `host` keyword, for messages.
    public var line: Int

    public init(name: String? = nil, traces: [TraceSpec] = [], addresses: [IPAddress] = [],
                nats: [NATMapping] = [], platform: Platform? = nil, line: Int = 0) {
        self.name = name
        self.traces = traces
        self.addresses = addresses
        self.nats = nats
        self.platform = platform
        self.line = line
    }
}

/// One ` trace FILE [NAME]` line.
public struct TraceSpec: Sendable, Hashable {
    /// The path as resolved against the configuration's directory.
    public var path: String
    /// The path as written in the configuration (or on the command line).
    public var writtenPath: String
    /// The name given after the file, if any.
    public var name: String?
    /// `platform=NAME` after the file, if given.
    public var platform: Platform?
    /// The configuration line, for messages.
    public var line: Int

    public init(path: String, writtenPath: String? = nil, name: String? = nil, platform: Platform? = nil, line: Int = 0) {
        self.path = path
        self.writtenPath = writtenPath ?? path
        self.name = name
        self.platform = platform
        self.line = line
    }
}

/// An `ignore IP[,PORT]` line: traffic to or from this peer is not modelled.
public struct IgnoredPeer: Sendable, Hashable {
    public var address: IPAddress
    public var port: UInt16?
    public init(address: IPAddress, port: UInt16? = nil) { self.address = address; self.port = port }

    /// Whether an endpoint is covered by this line.
    public func covers(_ endpoint: Endpoint) -> Bool {
        endpoint.address.unmapped == address.unmapped && (port == nil || port == endpoint.port)
    }
}

/// A ` nat PRIVATE[,PORT] PUBLIC[,PORT]` line: the host is reached from outside at PUBLIC, and its
/// connections leave with PUBLIC as their source address.
public struct NATMapping: Sendable, Hashable {
    public var privateAddress: IPAddress
    public var privatePort: UInt16?
    public var publicAddress: IPAddress
    public var publicPort: UInt16?

    public init(privateAddress: IPAddress, privatePort: UInt16? = nil, publicAddress: IPAddress, publicPort: UInt16? = nil) {
        self.privateAddress = privateAddress
        self.privatePort = privatePort
        self.publicAddress = publicAddress
        self.publicPort = publicPort
    }

    /// The private endpoint a connection to `endpoint` reaches through this mapping, if it matches.
    public func inbound(_ endpoint: Endpoint) -> Endpoint? {
        guard endpoint.address.unmapped == publicAddress.unmapped,
              publicPort == nil || publicPort == endpoint.port else { return nil }
        return Endpoint(address: privateAddress, port: privatePort ?? endpoint.port)
    }
}
