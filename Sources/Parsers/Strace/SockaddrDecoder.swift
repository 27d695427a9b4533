import IR

/// Recognises a socket address in a decoded structure, in every spelling strace has used:
/// symbolic (`sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")`), `-X raw` byte strings,
/// `-X verbose` comments, and the field names and orders of strace 4.x.
enum SockaddrDecoder {
    static func decode(_ fields: [Field]) -> SocketAddress? {
        guard let first = fields.first, first.name == "sa_family" else { return nil }
        guard let family = familyName(first.value) else { return nil }
        func field(_ name: String) -> Value? { fields.first { $0.name == name }?.value }
        switch family {
        case "AF_INET":
            guard let port = port(field("sin_port")), let addr = field("sin_addr"),
                  let ip = ipv4(addr) else { return nil }
            return .inet(ip, port: port)
        case "AF_INET6":
            guard let port = port(field("sin6_port")) else { return nil }
            var ip: IPv6Address?
            if let a = field("sin6_addr") { ip = ipv6(a) }
            for f in fields where f.name == nil {
                if case .call("inet_pton", let args) = f.value, args.count >= 2, case .bytes(let b) = args[1] {
                    ip = IPv6Address(String(decoding: b.bytes, as: UTF8.self))
                }
            }
            guard let address = ip else { return nil }
            let flow = field("sin6_flowinfo").flatMap { unwrapCall($0, "htonl").integerValue } ?? 0
            let scope = field("sin6_scope_id").flatMap { $0.integerValue } ?? 0
            return .inet6(address, port: port, flowInfo: UInt32(truncatingIfNeeded: flow),
                          scopeID: UInt32(truncatingIfNeeded: scope))
        case "AF_UNIX", "AF_LOCAL", "AF_FILE":
            guard let path = field("sun_path") ?? field("path") else { return .unix(path: [], abstract: false) }
            switch uncomment(path) {
            case .bytes(let b): return .unix(path: b.bytes, abstract: false)
            case .raw(let text) where text.hasPrefix("@\""):
                let body = Array(text.utf8.dropFirst(2).dropLast())
                return .unix(path: body, abstract: true)
            default: return nil
            }
        case "AF_NETLINK":
            let pid = field("nl_pid")?.integerValue ?? 0
            var groups: Int64 = 0
            if case .raw(let text)? = field("nl_groups"), let g = Int64(text, radix: 16) { groups = g }
            else if let g = field("nl_groups")?.integerValue { groups = g }
            return .netlink(pid: UInt32(truncatingIfNeeded: pid), groups: UInt32(truncatingIfNeeded: groups))
        default:
            return .other(family: family)
        }
    }

    /// Linux address-family numbers for `-X raw` output.
    static let linuxFamilies: [Int64: String] = [0: "AF_UNSPEC", 1: "AF_UNIX", 2: "AF_INET", 10: "AF_INET6",
                                                 16: "AF_NETLINK", 17: "AF_PACKET"]

    static func familyName(_ v: Value) -> String? {
        switch v {
        case .symbol(let s): return s.hasPrefix("PF_") ? "AF_" + s.dropFirst(3) : s
        case .commented(_, let comment) where comment.hasPrefix("AF_"): return comment
        case .commented(let inner, _): return familyName(inner)
        case .integer, .hex: return v.integerValue.flatMap { linuxFamilies[$0] } ?? "AF_\(v.integerValue ?? -1)"
        default: return nil
        }
    }

    static func uncomment(_ v: Value) -> Value {
        if case .commented(let inner, _) = v { return inner }
        return v
    }

    static func unwrapCall(_ v: Value, _ name: String) -> Value {
        if case .call(name, let args) = uncomment(v), args.count == 1 { return args[0] }
        return uncomment(v)
    }

    static func port(_ v: Value?) -> UInt16? {
        guard let v else { return nil }
        switch unwrapCall(v, "htons") {
        case .integer(let p): return UInt16(exactly: p)
        case .bytes(let b) where b.bytes.count == 2: return UInt16(b.bytes[0]) << 8 | UInt16(b.bytes[1])
        default: return nil
        }
    }

    static func ipv4(_ v: Value) -> IPv4Address? {
        switch unwrapCall(v, "inet_addr") {
        case .bytes(let b) where b.bytes.count == 4 && !b.bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 || $0 == 0x2E }):
            return IPv4Address(b.bytes[0], b.bytes[1], b.bytes[2], b.bytes[3])
        case .bytes(let b): return IPv4Address(String(decoding: b.bytes, as: UTF8.self))
        default: return nil
        }
    }

    static func ipv6(_ v: Value) -> IPv6Address? {
        if case .bytes(let b) = uncomment(v), b.bytes.count == 16 { return IPv6Address(bytes: b.bytes) }
        return nil
    }
}

/// Reads what strace `-y`/`-yy` print about a socket descriptor: `TCP:[1.2.3.4:5->6.7.8.9:10]`,
/// `UDPv6:[[::]:48442]`, `TCP:[10113]` (inode only), `socket:[10100]`. Works on bytes: this runs
/// for nearly every line of a `-yy` trace.
enum SocketInfoDecoder {
    static func decode(_ text: String) -> SocketInfo? {
        var copy = text
        return copy.withUTF8 { decode($0) }
    }

    static func decode(_ p: UnsafeBufferPointer<UInt8>) -> SocketInfo? {
        let n = p.count
        guard n >= 4, p[n - 1] == C.rbracket, isIdentifierStart(p[0]) else { return nil }
        var colon = 0
        while colon < n && p[colon] != C.colon {
            guard p[colon] != C.slash else { return nil }
            colon += 1
        }
        guard colon + 1 < n, p[colon + 1] == C.lbracket else { return nil }
        let proto = String(decoding: UnsafeBufferPointer(rebasing: p[0..<colon]), as: UTF8.self)
        let bodyStart = colon + 2, bodyEnd = n - 1
        var info = SocketInfo(proto: proto)
        if let inode = number(p, bodyStart, bodyEnd) { info.inode = inode; return info }
        var arrow: Int?
        var k = bodyStart
        while k + 1 < bodyEnd {
            if p[k] == C.minus && p[k + 1] == C.gt { arrow = k; break }
            k += 1
        }
        if let a = arrow {
            info.local = endpoint(p, bodyStart, a)
            info.peer = endpoint(p, a + 2, bodyEnd)
            if info.local == nil { info.inode = number(p, bodyStart, a) }
        } else {
            info.local = endpoint(p, bodyStart, bodyEnd)
        }
        return info
    }

    static func number(_ p: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> UInt64? {
        guard b > a, b - a <= 19 else { return nil }
        var v: UInt64 = 0
        for k in a..<b {
            guard isDigit(p[k]) else { return nil }
            v = v * 10 + UInt64(p[k] - 48)
        }
        return v
    }

    /// `a.b.c.d:port` read directly from bytes; `[v6]:port` through the IPv6 parser.
    static func endpoint(_ p: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> Endpoint? {
        guard b > a else { return nil }
        if p[a] == C.lbracket {
            return Endpoint(String(decoding: UnsafeBufferPointer(rebasing: p[a..<b]), as: UTF8.self))
        }
        var octets: UInt32 = 0, current: UInt32 = 0, digits = 0, dots = 0
        var k = a
        while k < b && p[k] != C.colon {
            let c = p[k]
            if c == C.dot {
                guard digits > 0, dots < 3 else { return nil }
                octets = octets << 8 | current; current = 0; digits = 0; dots += 1
            } else if isDigit(c) {
                current = current * 10 + UInt32(c - 48); digits += 1
                guard digits <= 3, current <= 255 else { return nil }
            } else { return nil }
            k += 1
        }
        guard dots == 3, digits > 0, k < b, let port = number(p, k + 1, b), port <= 65535 else { return nil }
        return Endpoint(address: .v4(IPv4Address(octets << 8 | current)), port: UInt16(port))
    }
}
