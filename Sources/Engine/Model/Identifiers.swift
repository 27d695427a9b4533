/// A socket in the model (one per `socket`/`accept`, shared by every descriptor that aliases it).
public struct SocketID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let raw: Int
    public static func < (a: SocketID, b: SocketID) -> Bool { a.raw < b.raw }
    public var description: String { "s\(raw)" }
}

/// A TCP connection in the model, from the connect that opened it.
public struct ConnectionID: Sendable, Hashable, Comparable {
    public let raw: Int
    public static func < (a: ConnectionID, b: ConnectionID) -> Bool { a.raw < b.raw }
}

/// A host: index into ``Configuration/hosts``.
public typealias HostIndex = Int
