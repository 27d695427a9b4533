import IR

/// The address family of a socket, as far as the model cares.
enum SocketFamily: Sendable, Hashable {
    case inet, inet6
    /// AF_UNIX/AF_LOCAL, netlink and the rest: recognised and set aside, never mis-modelled.
    case other(String)

    var isInternet: Bool { self == .inet || self == .inet6 }
}

/// The transport of a socket.
enum Transport: Sendable, Hashable {
    case stream, datagram, other
}

/// Where a socket is in its life.
enum SocketPhase: Sendable, Hashable {
    /// Created, perhaps bound, neither listening nor connected.
    case fresh
    case listening
    /// A non-blocking connect is in progress; `connection` is set once the model has matched it
    /// with a listener.
    case connecting(target: Endpoint, connection: ConnectionID?)
    /// Connected (TCP), with the connection.
    case connected(ConnectionID)
    /// A connect failed (refused, reset, timed out); the socket cannot be used any more.
    case failed(reason: String)
    /// Connected to a peer outside the traced hosts (or one the configuration ignores): its data
    /// cannot be checked.
    case external(Endpoint)
}

/// Socket options the model tracks.
struct SocketOptions: Sendable, Hashable {
    var reuseAddress = false
    var reusePort = false
    var broadcast = false
    var v6Only: Bool? = nil
    var receiveBuffer: Int? = nil
    var sendBuffer: Int? = nil
    /// SO_LINGER as set: (on, seconds).
    var linger: (on: Bool, seconds: Int)? {
        get { lingerOn.map { ($0, lingerSeconds) } }
        set { lingerOn = newValue?.on; lingerSeconds = newValue?.seconds ?? 0 }
    }
    private var lingerOn: Bool? = nil
    private var lingerSeconds = 0
    var outOfBandInline = false
    /// SO_RCVTIMEO is set: a blocking receive may time out with EWOULDBLOCK.
    var receiveTimeout = false
    var keepAlive = false
    var noDelay = false
}

/// A socket in the model.
struct ModelSocket: Sendable {
    let id: SocketID
    let host: HostIndex
    let family: SocketFamily
    let transport: Transport
    let created: CallRef

    var phase: SocketPhase = .fresh
    /// The local address: bound explicitly, or assigned by connect/sendto. The port is nil while it
    /// is an ephemeral port nobody has reported yet.
    var localAddress: IPAddress?
    var localPort: UInt16?
    var boundExplicitly = false
    /// The peer of a connected datagram socket.
    var datagramPeer: Endpoint?
    var nonBlocking = false
    var options = SocketOptions()
    /// An error the next call will report (a refused non-blocking connect).
    var pendingError: String?
    var shutRead = false
    var shutWrite = false
    /// Descriptors (across processes) that refer to this socket.
    var references = 1
    var closed = false
    /// For listeners: connections waiting to be accepted, oldest first.
    var backlog: [ConnectionID] = []
    var backlogLimit = 0
    /// For datagram sockets: datagrams that arrived and were not read yet.
    var queue: [Datagram] = []
    /// The listening socket this one was accepted from.
    var acceptedFrom: SocketID?
    /// The listener was non-blocking when this socket was accepted from it.
    var inheritedNonBlocking = false
    /// The last call that used the socket.
    var lastUse: CallRef

    init(id: SocketID, host: HostIndex, family: SocketFamily, transport: Transport, created: CallRef) {
        self.id = id
        self.host = host
        self.family = family
        self.transport = transport
        self.created = created
        self.lastUse = created
    }

    var isModelled: Bool { family.isInternet && transport != .other }

    var localEndpoint: Endpoint? {
        guard let localAddress, let localPort else { return nil }
        return Endpoint(address: localAddress, port: localPort)
    }

    var connection: ConnectionID? {
        switch phase {
        case .connected(let c): return c
        case .connecting(_, let c): return c
        default: return nil
        }
    }

    var isListening: Bool { if case .listening = phase { return true } else { return false } }
}

/// A UDP datagram on its way or waiting in a receive queue.
struct Datagram: Sendable {
    var bytes: [UInt8]
    var length: Int
    var source: SocketID
    /// The source as the receiver will see it (address known, port perhaps not yet).
    var sourceAddress: IPAddress?
    var sourcePort: UInt16?
    var destination: Endpoint
    var origin: CallRef
}

/// A TCP connection between a connecting socket and the socket accept returned.
struct Connection: Sendable {
    enum Side: Sendable, Hashable { case client, server }

    let id: ConnectionID
    let client: SocketID
    let clientHost: HostIndex
    let listener: SocketID
    /// The address the client connected to, and the local address of the listener it reached.
    let target: Endpoint
    let opened: CallRef
    var server: SocketID?
    var accepted: CallRef?
    /// Client to server, and server to client.
    var toServer = ByteStream()
    var toClient = ByteStream()
    /// A side reset the connection (SO_LINGER 0, close with unread data, or close of a listener
    /// with the connection still in its backlog).
    var resetBy: Side?
    var resetCall: CallRef?
    var clientClosed = false
    var serverClosed = false
    /// The connect went through a NAT mapping declared in the configuration.
    var translated: NATMapping?

    func stream(towards side: Side) -> ByteStream { side == .server ? toServer : toClient }
}
