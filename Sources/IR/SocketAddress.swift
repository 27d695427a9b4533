/// A socket address as a call passed or received it (`struct sockaddr` and its families).
///
/// inet and inet6 carry what the network model needs; unix and netlink are recognised so
/// the engine can set them aside; anything else keeps its family's name.
public enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
    case inet(IPv4Address, port: UInt16)
    case inet6(IPv6Address, port: UInt16, flowInfo: UInt32, scopeID: UInt32)
    /// A unix-domain path; `abstract` for Linux's abstract namespace (leading NUL, written `@`).
    case unix(path: [UInt8], abstract: Bool)
    case netlink(pid: UInt32, groups: UInt32)
    /// A family the IR does not decode (`AF_PACKET`, `AF_UNSPEC`, ...), by its name or number.
    case other(family: String)

    /// The IP endpoint of an inet or inet6 address; nil for other families.
    public var endpoint: Endpoint? {
        switch self {
        case .inet(let a, let p): return Endpoint(address: .v4(a), port: p)
        case .inet6(let a, let p, _, _): return Endpoint(address: .v6(a), port: p)
        default: return nil
        }
    }

    /// The family's conventional name (`AF_INET`, `AF_INET6`, `AF_UNIX`, ...).
    public var familyName: String {
        switch self {
        case .inet: return "AF_INET"
        case .inet6: return "AF_INET6"
        case .unix: return "AF_UNIX"
        case .netlink: return "AF_NETLINK"
        case .other(let f): return f
        }
    }

    /// True for an IPv6 address that carries an IPv4 address (`::ffff:a.b.c.d`).
    public var isIPv4Mapped: Bool {
        if case .inet6(let a, _, _, _) = self { return a.mappedIPv4 != nil }
        return false
    }

    public var description: String {
        switch self {
        case .unix(let path, let abstract):
            return (abstract ? "@" : "") + String(decoding: path, as: UTF8.self)
        case .netlink(let pid, let groups): return "netlink:\(pid):\(groups)"
        case .other(let f): return f
        default: return endpoint!.description
        }
    }
}
