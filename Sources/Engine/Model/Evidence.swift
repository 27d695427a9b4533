import IR

/// What the model saw that the diagnosis rules need once simulation ends: failed and refused
/// connects, unmatched accepts, data left unread, resets, datagram fates, portability traps.
///
/// Each list keeps at most ``limit`` examples and counts the rest, so memory stays bounded
/// whatever the length of the traces.
public struct Evidence: Sendable {
    /// A bounded list of examples with the total count.
    public struct Examples<Element: Sendable>: Sendable {
        public private(set) var items: [Element] = []
        public private(set) var count = 0
        let limit: Int
        init(limit: Int = 200) { self.limit = limit }
        mutating func add(_ item: Element) {
            count += 1
            if items.count < limit { items.append(item) }
        }
        public var isEmpty: Bool { count == 0 }
    }

    public struct ConnectAttempt: Sendable {
        public var call: CallRef
        public var host: HostIndex
        public var target: Endpoint
        public var error: String
    }

    public struct Listening: Sendable, Hashable {
        public var host: HostIndex
        public var address: IPAddress
        public var port: UInt16
        public var v6Only: Bool
        public var call: CallRef
    }

    public struct DataLoss: Sendable {
        /// The side that sent the bytes, and the side that should have read them.
        public var sender: CallRef
        public var receiver: CallRef
        public var bytes: Int
        /// The receiver closed or shut down with the data unread (application), or the data
        /// vanished on the way while the receiver kept reading (network).
        public var byApplication: Bool
    }

    public struct Reset: Sendable {
        public var by: CallRef
        public var victim: CallRef?
        public var reason: String
    }

    public struct ThreadClose: Sendable {
        public var close: CallRef
        public var blocked: CallRef
        public var shutdown: Bool
    }

    public struct DatagramFate: Sendable {
        public var sent: CallRef
        public var size: Int
        public var received: Bool
        public var destinationTraced: Bool
    }

    public struct AddressNote: Sendable {
        public var call: CallRef
        public var text: String
    }

    public internal(set) var refusedConnects = Examples<ConnectAttempt>()
    public internal(set) var failedConnects = Examples<ConnectAttempt>()
    public internal(set) var unfinishedNonBlockingConnects = Examples<ConnectAttempt>()
    public internal(set) var unmatchedAccepts = Examples<CallRef>()
    public internal(set) var unacceptedConnections = Examples<ConnectAttempt>()
    public internal(set) var listeners: [Listening] = []
    public internal(set) var dataLosses = Examples<DataLoss>()
    public internal(set) var resets = Examples<Reset>()
    public internal(set) var sendsToClosed = Examples<CallRef>()
    public internal(set) var threadCloses = Examples<ThreadClose>()
    public internal(set) var truncatedDatagrams = Examples<CallRef>()
    public internal(set) var bufferExceeded = Examples<CallRef>()
    public internal(set) var unspecifiedPeers = Examples<AddressNote>()
    public internal(set) var mappedPeers = Examples<AddressNote>()
    public internal(set) var versionMismatches = Examples<AddressNote>()
    public internal(set) var natTraversals = Examples<AddressNote>()
    public internal(set) var sourceNAT = Examples<AddressNote>()
    public internal(set) var wrongSourceReplies = Examples<AddressNote>()
    public internal(set) var mappedOnWire = Examples<AddressNote>()
    public internal(set) var unhandledOptions = Examples<CallRef>()
    public internal(set) var externalTraffic: [TraceID: Int] = [:]
    public internal(set) var tracedTraffic: [TraceID: Int] = [:]
    /// Every datagram's fate, bounded: the MTU and loss rules read sizes from here.
    public internal(set) var datagrams = Examples<DatagramFate>(limit: 100_000)
    /// Host pairs that exchanged data or completed a connection (for non-transitive connectivity).
    public internal(set) var workingPairs: Set<HostPair> = []
    public internal(set) var datagramsSent = 0
    public internal(set) var datagramsLost = 0
}

/// Two hosts, unordered.
public struct HostPair: Sendable, Hashable {
    public let low: HostIndex
    public let high: HostIndex
    public init(_ a: HostIndex, _ b: HostIndex) { low = min(a, b); high = max(a, b) }
}
