/// An IPv4 address, stored in host order.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: UInt32
    @inlinable public init(_ value: UInt32) { self.value = value }
    @inlinable public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text (`127.0.0.1`); nil for anything else.
    public init?<S: StringProtocol>(_ text: S) {
        var parts: [UInt32] = []
        var current: UInt32 = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts.count < 3 else { return nil }
                parts.append(current); current = 0; digits = 0
            } else if byte >= 48 && byte <= 57 {
                current = current * 10 + UInt32(byte - 48)
                digits += 1
                guard digits <= 3, current <= 255 else { return nil }
            } else { return nil }
        }
        guard digits > 0, parts.count == 3 else { return nil }
        parts.append(current)
        value = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]
    }

    public static let any = IPv4Address(0)
    public static let loopback = IPv4Address(127, 0, 0, 1)
    public static let broadcast = IPv4Address(0xFFFF_FFFF)

    public var isLoopback: Bool { value >> 24 == 127 }
    public var isUnspecified: Bool { value == 0 }
    public var isBroadcast: Bool { value == 0xFFFF_FFFF }
    public var isMulticast: Bool { value >> 28 == 0xE }
    public var octets: [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    public var description: String { octets.map(String.init).joined(separator: ".") }
    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv6 address: 16 bytes in network order.
public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    @inlinable public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16)
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<8 { h = h << 8 | UInt64(bytes[i]) }
        for i in 8..<16 { l = l << 8 | UInt64(bytes[i]) }
        high = h; low = l
    }

    /// Parses RFC 4291 text (`::1`, `fe80::1`, `::ffff:10.0.0.1`); nil for anything else.
    public init?<S: StringProtocol>(_ text: S) {
        let s = String(text)
        var groups: [UInt16] = []
        var tailGroups: [UInt16] = []
        var sawDoubleColon = false
        var halves: [String] = []
        if let r = s.firstRange(of: "::") {
            halves = [String(s[..<r.lowerBound]), String(s[r.upperBound...])]
            if halves[1].contains("::") { return nil }
        } else {
            halves = [s]
        }
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ part: String, allowV4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, field) in fields.enumerated() {
                if allowV4 && i == fields.count - 1 && field.contains(".") {
                    guard let v4 = IPv4Address(field) else { return nil }
                    out.append(UInt16(v4.value >> 16)); out.append(UInt16(v4.value & 0xFFFF))
                } else {
                    guard !field.isEmpty, field.count <= 4, let g = UInt16(field, radix: 16) else { return nil }
                    out.append(g)
                }
            }
            return out
        }
        if halves.count == 2 {
            sawDoubleColon = true
            guard let a = parseGroups(halves[0], allowV4: false), let b = parseGroups(halves[1], allowV4: true) else { return nil }
            groups = a; tailGroups = b
            guard groups.count + tailGroups.count <= 7 else { return nil }
        } else {
            guard let a = parseGroups(halves[0], allowV4: true), a.count == 8 else { return nil }
            groups = a
        }
        if sawDoubleColon {
            groups += Array(repeating: 0, count: 8 - groups.count - tailGroups.count) + tailGroups
        }
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<4 { h = h << 16 | UInt64(groups[i]) }
        for i in 4..<8 { l = l << 16 | UInt64(groups[i]) }
        high = h; low = l
    }

    public static let any = IPv6Address(high: 0, low: 0)
    public static let loopback = IPv6Address(high: 0, low: 1)

    /// The IPv4-mapped form `::ffff:a.b.c.d` of an IPv4 address.
    @inlinable public init(mapping v4: IPv4Address) { high = 0; low = 0xFFFF_0000_0000 | UInt64(v4.value) }

    public var isLoopback: Bool { self == .loopback }
    public var isUnspecified: Bool { high == 0 && low == 0 }
    public var isLinkLocal: Bool { high >> 54 == 0x3FA }
    /// The IPv4 address inside an IPv4-mapped address (`::ffff:a.b.c.d`), else nil.
    public var mappedIPv4: IPv4Address? {
        guard high == 0, low >> 32 == 0xFFFF else { return nil }
        return IPv4Address(UInt32(low & 0xFFFF_FFFF))
    }

    public var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
    }

    /// RFC 5952 text: lower case, the longest run of zero groups as `::`, mapped IPv4 dotted.
    public var description: String {
        if let v4 = mappedIPv4 { return "::ffff:" + v4.description }
        let g = groups
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8 && g[j] == 0 { j += 1 }
                if j - i > bestLength && j - i > 1 { bestStart = i; bestLength = j - i }
                i = j
            } else { i += 1 }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(g[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public static func < (a: IPv6Address, b: IPv6Address) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// An IP address of either family.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public init?<S: StringProtocol>(_ text: S) {
        if let a = IPv4Address(text) { self = .v4(a) } else if let a = IPv6Address(text) { self = .v6(a) } else { return nil }
    }

    /// The address with IPv4-mapped IPv6 folded to IPv4, so the two spellings compare equal.
    public var unmapped: IPAddress {
        if case .v6(let a) = self, let v4 = a.mappedIPv4 { return .v4(v4) }
        return self
    }

    public var isLoopback: Bool {
        switch unmapped { case .v4(let a): return a.isLoopback; case .v6(let a): return a.isLoopback }
    }
    public var isUnspecified: Bool {
        switch unmapped { case .v4(let a): return a.isUnspecified; case .v6(let a): return a.isUnspecified }
    }
    public var description: String {
        switch self { case .v4(let a): return a.description; case .v6(let a): return a.description }
    }
}

/// An IP address and port: one end of a TCP connection or UDP flow.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16
    @inlinable public init(address: IPAddress, port: UInt16) { self.address = address; self.port = port }

    /// `a.b.c.d:port` or `[v6]:port`.
    public var description: String {
        switch address {
        case .v4(let a): return "\(a):\(port)"
        case .v6(let a): return "[\(a)]:\(port)"
        }
    }

    /// Parses `a.b.c.d:port` and `[v6]:port`; nil for anything else.
    public init?<S: StringProtocol>(_ text: S) {
        let s = Substring(text)
        if s.first == "[" {
            guard let close = s.firstIndex(of: "]"), s.index(after: close) < s.endIndex,
                  s[s.index(after: close)] == ":",
                  let a = IPv6Address(s[s.index(after: s.startIndex)..<close]),
                  let p = UInt16(s[s.index(close, offsetBy: 2)...]) else { return nil }
            self.init(address: .v6(a), port: p)
        } else {
            guard let colon = s.lastIndex(of: ":"), let a = IPv4Address(s[..<colon]),
                  let p = UInt16(s[s.index(after: colon)...]) else { return nil }
            self.init(address: .v4(a), port: p)
        }
    }
}
