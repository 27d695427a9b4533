/// A typed argument value, as the front ends understand the tracers' notation.
///
/// Every tracer prints values in its own syntax; front ends turn what they recognise into these
/// cases and keep whatever they do not understand as ``raw(_:)``, so a new decoding in a tracer
/// degrades to text instead of failing.
///
/// Only ``commented(_:comment:)`` holds a value inline and is stored indirectly; every other case
/// keeps its payload in the enum (arrays are already references), so making a value allocates
/// nothing beyond the arrays and long strings it holds.
public enum Value: Sendable, Hashable {
    /// A decimal integer (`16`, `-1`).
    case integer(Int64)
    /// A number written in hexadecimal (`0x7ffd3a6e9140`, `0x802`): pointers, flag words.
    case hex(UInt64)
    /// The null pointer (`NULL`).
    case null
    /// A file descriptor, with whatever the tracer decoded about it.
    case descriptor(Descriptor)
    /// A socket address the front end recognised.
    case address(SocketAddress)
    /// A symbolic constant (`SOCK_STREAM`, `SOL_SOCKET`, `SHUT_WR`).
    case symbol(String)
    /// Flags joined by `|` (`SOCK_STREAM|SOCK_CLOEXEC`, `O_RDWR|0x8000`).
    case flags([Value])
    /// A byte buffer or string, decoded from its escapes.
    case bytes(Buffer)
    /// A structure `{name=value, ...}`; fields without a name are positional.
    case structure([Field])
    /// An array or in/out reference `[1, 2]`, `[16]`.
    case array([Value])
    /// A function-style rendering (`htons(5000)`, `inet_addr("1.2.3.4")`, `makedev(1, 3)`).
    case call(String, [Value])
    /// An elision the tracer printed (`...`).
    case elided
    /// A value followed by the tracer's comment (`0x2 /* AF_INET */`).
    indirect case commented(Value, comment: String)
    /// Text the front end did not understand, kept as written.
    case raw(String)

    /// The integer this value denotes, when it is one (decimal, hex, a descriptor's number).
    public var integerValue: Int64? {
        switch self {
        case .integer(let v): return v
        case .hex(let v): return Int64(bitPattern: v)
        case .descriptor(let d): return Int64(d.number)
        case .commented(let v, _): return v.integerValue
        case .array(let items) where items.count == 1: return items[0].integerValue
        default: return nil
        }
    }

    /// The names of a flag set or symbol (`["SOCK_STREAM", "SOCK_CLOEXEC"]`); empty otherwise.
    public var flagNames: [String] {
        switch self {
        case .symbol(let s): return [s]
        case .flags(let items): return items.flatMap(\.flagNames)
        case .commented(let v, _): return v.flagNames
        default: return []
        }
    }
}

/// One field of a ``Value/structure(_:)``.
public struct Field: Sendable, Hashable {
    public var name: String?
    public var value: Value
    @inlinable public init(name: String?, value: Value) { self.name = name; self.value = value }
}

/// A data buffer: the bytes the tracer showed and whether it showed all of them.
///
/// Tracers print only a prefix of long buffers (strace `-s`); byte counts always come from the
/// call's length arguments and result, never from `bytes.count`.
public struct Buffer: Sendable, Hashable {
    public var bytes: [UInt8]
    /// True when the tracer printed only the first part (strace's `"..."...`).
    public var truncated: Bool
    @inlinable public init(bytes: [UInt8], truncated: Bool = false) { self.bytes = bytes; self.truncated = truncated }
}

/// A file descriptor and what the tracer told about the file behind it.
///
/// `info` lives in a shared immutable box, so a descriptor is two words and copies of it (and
/// descriptors a front end decodes from identical text) share one ``DescriptorInfo``.
public struct Descriptor: Sendable, Hashable {
    public var number: Int32
    /// What strace `-y`/`-yy` printed in `<...>`, or what another tracer decoded.
    @inlinable public var info: DescriptorInfo? {
        get { box?.info }
        set { box = newValue.map(DescriptorInfoBox.init) }
    }
    @usableFromInline var box: DescriptorInfoBox?

    @inlinable public init(number: Int32, info: DescriptorInfo? = nil) {
        self.number = number
        self.box = info.map(DescriptorInfoBox.init)
    }
}

/// Holds a ``DescriptorInfo`` for ``Descriptor``; compared and hashed by its content.
@usableFromInline final class DescriptorInfoBox: Sendable, Hashable {
    @usableFromInline let info: DescriptorInfo
    @usableFromInline init(_ info: DescriptorInfo) { self.info = info }
    @usableFromInline static func == (a: DescriptorInfoBox, b: DescriptorInfoBox) -> Bool { a === b || a.info == b.info }
    @usableFromInline func hash(into hasher: inout Hasher) { hasher.combine(info) }
}

/// What a tracer decoded about a descriptor's file (strace `-y`, `-yy`).
public struct DescriptorInfo: Sendable, Hashable {
    /// The decoration as written, without the angle brackets (`TCP:[127.0.0.1:5000]`, `/etc/hosts`).
    public var text: String
    /// The socket the decoration describes, when it describes one.
    public var socket: SocketInfo?
    @inlinable public init(text: String, socket: SocketInfo? = nil) { self.text = text; self.socket = socket }
}

/// A socket as strace `-yy` saw it in the kernel: protocol, inode and endpoints at that moment.
public struct SocketInfo: Sendable, Hashable {
    /// `TCP`, `UDP`, `TCPv6`, `UDPv6`, `UNIX-STREAM`, `NETLINK`, or `socket` for plain `-y`.
    public var proto: String
    public var inode: UInt64?
    public var local: Endpoint?
    public var peer: Endpoint?
    @inlinable public init(proto: String, inode: UInt64? = nil, local: Endpoint? = nil, peer: Endpoint? = nil) {
        self.proto = proto; self.inode = inode; self.local = local; self.peer = peer
    }
}

/// One argument of a call: its typed value and the text the tracer wrote for it.
///
/// `text` makes conversion back to the same format exact; renderers use it when present and
/// render `value` otherwise (delete `text` from IR JSON to have an edited `value` rendered).
public struct Argument: Sendable, Hashable {
    public var value: Value
    public var text: Substring?
    @inlinable public init(_ value: Value, text: Substring? = nil) { self.value = value; self.text = text }
}
